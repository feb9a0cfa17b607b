/**
 * Low-stock alerts: when available to sell at a shop location falls to or below its threshold (per SKU or
 * global), one alert per downward crossing, through a signed webhook (verified by the receiver like a
 * user's endpoint would) and by email (a local SMTP server). Hysteresis: the alert re-arms only once the
 * level climbed above threshold + hysteresis. The state survives a restart (a new engine on the store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { runFlow } from '../../src/engine/run-flow.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig, type E2eConfigOptions } from './support/config.js';
import { openEngine } from './support/engine.js';
import { productSku, seedCatalog, variantSku } from './support/seed-catalog.js';
import { startAlertReceiver, startSmtpServer, type AlertReceiver, type MailSink } from './support/alert-sinks.js';

const SECRET = 'alert-signing-secret';

describe('low-stock alerts: signed webhook and email, once per crossing, with hysteresis', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: RunningEngine;
  let receiver: AlertReceiver;
  let smtp: MailSink;
  let opts: E2eConfigOptions;
  const sku = productSku(2);
  const other = productSku(4);

  /** Sets the on-hand quantity of `sku` in WH (berlin) and runs the stock flow. */
  const level = async (s: string, qty: number) => {
    const [id] = sims.odoo.env.search('product.product', [['default_code', '=', s]]);
    sims.odoo.env.setStock(id!, qty);
    await runFlow(engine, 'stock');
  };
  const alertsFor = (s: string) => receiver.alerts.filter((a) => a.body.data.items.some((i) => i.sku === s && i.location === 'berlin'));

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-alerts-');
    [receiver, smtp] = await Promise.all([startAlertReceiver(SECRET), startSmtpServer()]);
    seedCatalog(sims, { products: 4, simpleEvery: 2, customers: 0, overlapProducts: 4, odooOnlyProducts: 0, overlapCustomers: 0, odooOnlyCustomers: 0 });
    opts = {
      storeUrl: `sqlite:${tmp.dir}/tandem.db`,
      flows: [{ entity: 'product', direction: 'shop->erp' }, { entity: 'stock', direction: 'erp->shop' }],
      extra: {
        stock: {
          locations: [{ erp: 'WH/Stock', shop: 'berlin' }, { erp: 'WH2/Stock', shop: 'kyiv' }],
          lowStock: { threshold: 5, hysteresis: 3, perSku: { [other]: 1 } },
        },
        alerts: { channels: [{ type: 'webhook', url: receiver.url, secret: SECRET }, { type: 'email', smtp: smtp.url, from: 'tandem@shop.example', to: ['buyer@shop.example', 'ops@shop.example'] }] },
      },
    };
    engine = await openEngine(e2eConfig(sims, opts));
    // start above every threshold at berlin (kyiv, WH2, holds 0–3 of each: low from the start)
    for (const s of [sku, other]) {
      const [id] = sims.odoo.env.search('product.product', [['default_code', '=', s]]);
      sims.odoo.env.setStock(id!, 20);
    }
    await syncAll(engine, { kind: 'initial' });
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await Promise.all([receiver?.close(), smtp?.close()]);
    await tmp?.cleanup();
  });

  it('levels already low at the first look alert once; levels above the threshold do not', () => {
    expect(receiver.refused).toBe(0);
    expect(receiver.alerts).toHaveLength(1);
    const first = receiver.alerts[0]!;
    expect(first.event).toBe('alert.low_stock');
    expect(first.body.type).toBe('low_stock');
    expect(first.body.data.items.every((i) => i.location === 'kyiv')).toBe(true);
    expect(alertsFor(sku)).toHaveLength(0);
    expect(smtp.messages).toHaveLength(1);
  });

  it('a downward crossing fires once through both channels; staying low or wobbling inside the band does not', async () => {
    await level(sku, 9); // above 5: nothing
    expect(alertsFor(sku)).toHaveLength(0);
    await level(sku, 4); // crossed: alert
    expect(alertsFor(sku)).toHaveLength(1);
    const alert = alertsFor(sku)[0]!;
    expect(alert.body.data.items).toEqual([{ sku, location: 'berlin', available: 4, threshold: 5 }]);
    expect(alert.body.subject).toBe(`low stock: ${sku} (4 left)`);
    const mail = smtp.messages.at(-1)!;
    expect(mail.to).toEqual(['buyer@shop.example', 'ops@shop.example']);
    expect(mail.from).toBe('tandem@shop.example');
    expect(mail.subject).toBe(`[tandem] low stock: ${sku} (4 left)`);
    expect(mail.raw).toContain(`${sku} @ berlin: 4 available (threshold 5)`);

    await level(sku, 2); // still low: no second alert
    await level(sku, 7); // back up, but inside threshold + hysteresis (8): not re-armed
    await level(sku, 3); // down again inside the band: no alert
    expect(alertsFor(sku)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
    expect(receiver.refused).toBe(0);
  });

  it('re-arms above threshold + hysteresis and fires on the next crossing — also after a restart', async () => {
    await level(sku, 9); // > 8: re-armed
    await engine.close();
    engine = await openEngine(e2eConfig(sims, opts)); // a new process on the same store
    await level(sku, 5); // at the threshold: fires
    expect(alertsFor(sku)).toHaveLength(2);
    expect(smtp.messages).toHaveLength(3);
    await engine.close();
    engine = await openEngine(e2eConfig(sims, opts));
    await level(sku, 4); // still low after the restart: nothing
    expect(alertsFor(sku)).toHaveLength(2);
  });

  it('a per-SKU threshold replaces the global one', async () => {
    await level(other, 3); // global threshold 5 would fire; its own is 1
    expect(alertsFor(other)).toHaveLength(0);
    await level(other, 1);
    expect(alertsFor(other).map((a) => a.body.data.items.find((i) => i.sku === other))).toEqual([{ sku: other, location: 'berlin', available: 1, threshold: 1 }]);
  });

  it('an alert no channel took (the receiver refuses the signature) stays armed and is sent by the next sync', async () => {
    const third = variantSku(3, 'S', 'Red');
    const wrong = await startAlertReceiver('another-secret');
    const withChannel = (url: string) => e2eConfig(sims, { ...opts, extra: { ...opts.extra, alerts: { channels: [{ type: 'webhook', url, secret: SECRET }] } } });
    await engine.close();
    engine = await openEngine(withChannel(wrong.url));
    try {
      await level(third, 20);
      await level(third, 0);
      expect(wrong.refused).toBe(1);
      expect(wrong.alerts).toHaveLength(0);
      expect(await engine.metrics.registry.getSingleMetricAsString('tandem_alerts_total')).toMatch(/tandem_alerts_total\{channel="webhook",result="failed"\} 1/);
      // the endpoint is fixed: the next stock sync delivers the alert that was not taken
      await engine.close();
      engine = await openEngine(withChannel(receiver.url));
      await runFlow(engine, 'stock');
      expect(alertsFor(third).map((a) => a.body.data.items)).toEqual([[{ sku: third, location: 'berlin', available: 0, threshold: 5 }]]);
      await runFlow(engine, 'stock');
      expect(alertsFor(third)).toHaveLength(1);
    } finally {
      await wrong.close();
    }
  });
});
