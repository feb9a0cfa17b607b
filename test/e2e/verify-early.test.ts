/**
 * Issue 16: `sync --initial` (syncAll with `reconcile`) starts the verification's listing of a one-way flow's
 * source as soon as the sync has read that source to its end — while the sync still writes the ERP — and
 * never earlier; not at all for a two-way flow (the sync writes the shop too) or when a later flow of the
 * same run writes to that source (stock to the shop). The verification's result is the same either way.
 * Requests are told apart on the wire: the sync's feed pages carry `dates_are_gmt`, the listing's do not.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { useWooOdoo } from './support/woo-odoo.js';

interface Wire {
  kind: 'feed' | 'listing' | 'create';
  start: number;
  end: number;
}

const lab = useWooOdoo();

async function run(flows: ConfigInput['flows'], n: number): Promise<{ wire: Wire[]; syncedAt: number; result: Awaited<ReturnType<typeof syncAll>> }> {
  const { odoo, woo } = await lab.start();
  woo.seedProducts(n, { prefix: 'EARLY' });
  odoo.faults.latencyMs = 40; // the ERP writes take a while: the listing has time to run meanwhile
  const wire: Wire[] = [];
  const t0 = performance.now();
  const watched: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const body = typeof init?.body === 'string' ? init.body : '';
    const kind = url.includes('/wc/v3/products?') && (init?.method ?? 'GET') === 'GET' ? (url.includes('dates_are_gmt') ? 'feed' : 'listing') : /"product\.product",\s*"(create|web_save)"/.test(body) ? 'create' : null;
    const start = performance.now() - t0;
    const res = await fetch(input, init);
    const text = await res.text();
    if (kind) wire.push({ kind, start, end: performance.now() - t0 });
    return new Response(text, { status: res.status, headers: res.headers });
  };
  const engine = await lab.engine({ flows, erp: { writeBatchSize: 100, writeConcurrency: 1 }, fetch: watched });
  let syncedAt = 0;
  const result = await syncAll(engine, { kind: 'initial', reconcile: true, onSynced: () => (syncedAt = performance.now() - t0) });
  return { wire, syncedAt, result };
}

const first = (wire: Wire[], kind: Wire['kind']) => Math.min(...wire.filter((w) => w.kind === kind).map((w) => w.start));
const lastEnd = (wire: Wire[], kind: Wire['kind']) => Math.max(...wire.filter((w) => w.kind === kind).map((w) => w.end));

describe('the verification after an initial sync lists the source early', () => {
  it('shop->erp: the listing starts after the sync read its last page and before the ERP writes are done; 0 differences', async () => {
    const { wire, syncedAt, result } = await run([{ entity: 'product', direction: 'shop->erp', batchSize: 100 }], 450);
    expect(result.reconcile!.differences).toEqual([]);
    expect(result.reconcile!.entities).toEqual([expect.objectContaining({ entity: 'product', shop: 450, erp: 450, linked: 450 })]);
    expect(wire.filter((w) => w.kind === 'create').length).toBe(5);
    expect(first(wire, 'listing')).toBeGreaterThanOrEqual(lastEnd(wire, 'feed')); // never before the sync read everything
    expect(first(wire, 'listing')).toBeLessThan(lastEnd(wire, 'create')); // while the ERP is still written
    expect(first(wire, 'listing')).toBeLessThan(syncedAt);
  });

  it('a two-way flow: the listings wait for the end of the sync', async () => {
    const { wire, syncedAt, result } = await run([{ entity: 'product', direction: 'both', batchSize: 100 }], 150);
    expect(result.reconcile!.differences).toEqual([]);
    expect(first(wire, 'listing')).toBeGreaterThanOrEqual(syncedAt);
  });

  it('stock synced to the shop later in the same run: the product listing waits for the end of the sync', async () => {
    const { wire, syncedAt, result } = await run(
      [
        { entity: 'product', direction: 'shop->erp', batchSize: 100 },
        { entity: 'stock', direction: 'erp->shop' },
      ],
      150,
    );
    expect(result.reconcile!.entities.find((e) => e.entity === 'product')).toMatchObject({ shop: 150, linked: 150 });
    // the stock sync reads the shop's products too (the listing's query): none of those while products are written
    expect(first(wire, 'listing')).toBeGreaterThanOrEqual(lastEnd(wire, 'create'));
    expect(wire.filter((w) => w.kind === 'listing' && w.start >= syncedAt).length).toBeGreaterThanOrEqual(2);
  });
});
