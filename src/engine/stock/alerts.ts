/** Low-stock alerts over the computed shop stock: once per downward crossing, through every channel. */
import type { Engine } from '../context.js';
import { notify } from '../alerts/notify.js';
import { decideAlert } from './alerts-policy.js';
import type { ShopStock } from './compute.js';

export async function evaluateAlerts(engine: Engine, levels: ShopStock[]): Promise<Array<{ sku: string; location: string; available: number }>> {
  const cfg = engine.config.stock.lowStock;
  const state = await engine.store.alerts.getAll();
  const changes: Array<{ sku: string; location: string; armed: boolean; available: number }> = [];
  const fired: Array<{ sku: string; location: string; available: number; threshold: number }> = [];
  for (const l of levels) {
    const threshold = cfg.perSku[l.sku] ?? cfg.threshold;
    const prev = state.get(`${l.sku}@${l.location}`);
    const d = decideAlert(prev, l.available, threshold, cfg.hysteresis);
    if (d.fire) fired.push({ sku: l.sku, location: l.location, available: l.available, threshold });
    if (!prev || prev.armed !== d.armed || prev.available !== l.available) changes.push({ sku: l.sku, location: l.location, armed: d.armed, available: l.available });
  }
  if (fired.length) {
    const lines = fired.map((f) => `${f.sku} @ ${f.location}: ${f.available} available (threshold ${f.threshold})`);
    const delivered = await notify(engine, {
      type: 'low_stock',
      subject: fired.length === 1 ? `low stock: ${fired[0]!.sku} (${fired[0]!.available} left)` : `low stock: ${fired.length} SKUs`,
      text: `These SKUs fell to or below their low-stock threshold:\n${lines.join('\n')}\n`,
      data: { items: fired },
      at: engine.now().toISOString(),
    });
    // no channel took it: stay armed, so the next sync tries again instead of losing the alert
    if (!delivered) for (const c of changes) if (fired.some((f) => f.sku === c.sku && f.location === c.location)) c.armed = true;
  }
  if (changes.length) await engine.store.alerts.putMany(changes);
  return fired;
}
