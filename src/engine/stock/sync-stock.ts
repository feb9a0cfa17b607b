/**
 * Stock, ERP → shop (the ERP is the stock master by default): read every level, compute available to sell
 * per shop location, write only what changed since the last sync (hash per SKU and location on the link),
 * then evaluate low-stock alerts. With `stock.master: shop`, shop levels are counted into the ERP instead.
 */
import type { SourceRecord, WriteOp } from '../../connectors/contract.js';
import { stockId } from '../../connectors/contract.js';
import type { StockLevel } from '../../model/entities.js';
import type { Engine } from '../context.js';
import { observeRun } from '../observe-run.js';
import type { BatchMutations } from '../records/batch.js';
import { commitBatch } from '../records/commit-batch.js';
import { hashValue } from '../records/hash.js';
import { writeBatches } from '../records/write-batches.js';
import { RunReport } from '../report.js';
import { retryTransientFailures } from '../retry-policy.js';
import { computeShopStock, splitAmbiguous } from './compute.js';
import { evaluateAlerts } from './alerts.js';
import { entityLock, withLock } from '../lock.js';

export async function readAllStock(conn: Engine['erp'] | Engine['shop'], pageSize: number): Promise<StockLevel[]> {
  const levels: StockLevel[] = [];
  for await (const batch of conn.read('stock', null, { pageSize })) {
    for (const r of batch.records as SourceRecord<'stock'>[]) if (r.data) levels.push(r.data);
  }
  return levels;
}

export async function syncStock(engine: Engine, opts: { dryRun?: boolean; batchSize?: number } = {}): Promise<RunReport> {
  return withLock(engine, entityLock('stock'), () => syncStockLocked(engine, opts), { wait: true });
}

async function syncStockLocked(engine: Engine, opts: { dryRun?: boolean; batchSize?: number }): Promise<RunReport> {
  const flow = engine.config.flows.find((f) => f.entity === 'stock');
  const batchSize = opts.batchSize ?? flow?.batchSize ?? 200;
  const master = engine.config.stock.master;
  const report = new RunReport('stock', master === 'erp' ? 'erp->shop' : 'shop->erp');
  const runId = opts.dryRun ? null : await engine.store.runs.start({ flow: `stock:${report.direction}`, kind: 'poll' });
  let status = 'ok';
  const started = performance.now();
  try {
    if (master === 'shop') {
      const levels = await readAllStock(engine.shop, batchSize);
      report.counts.read = levels.length;
      const locations = engine.config.stock.locations;
      const toErp = (shopLoc: string) => locations.find((l) => l.shop === shopLoc)?.erp ?? locations[0]?.erp;
      const writes = levels.flatMap((l) => { const loc = toErp(l.location); return loc ? [{ sku: l.sku, location: loc, onHand: l.available }] : []; });
      if (!opts.dryRun && writes.length) await engine.erp.stock.setOnHand(writes);
      for (const l of levels) {
        if (toErp(l.location)) report.add({ outcome: 'updated', id: stockId(l.sku, l.location), label: l.sku });
        else report.add({ outcome: 'skipped', id: stockId(l.sku, l.location), label: l.sku, reason: `shop location ${l.location} has no ${engine.names.erp} location: add it to stock.locations` });
      }
      return report;
    }

    const read = await retryTransientFailures(() => readAllStock(engine.erp, batchSize));
    const { levels: erpLevels, ambiguous } = splitAmbiguous(read);
    const pending = await engine.store.orders.pendingQuantities();
    const wanted = computeShopStock(erpLevels, engine.config.stock, pending);
    // one record per shop level decided (an ERP level of each mapped location adds into it) and per ambiguous SKU
    report.counts.read = wanted.size + ambiguous.size;
    for (const [sku, n] of ambiguous) report.add({ outcome: 'skipped', id: sku, label: sku, reason: `SKU ${sku} is on ${n} ${engine.names.erp} products: whose stock to sell is not guessed; make the SKU unique in ${engine.names.erp}` });
    const ids = [...wanted.keys()];
    const links = await engine.store.links.getMany('stock', 'erp', ids);
    const changed: WriteOp<'stock'>[] = [];
    const hashes = new Map<string, string>();
    for (const s of wanted.values()) {
      const h = hashValue({ available: s.available });
      hashes.set(s.id, h);
      if (links.get(s.id)?.erpHash === h) {
        report.add({ outcome: 'unchanged', id: s.id, label: s.sku });
        continue;
      }
      changed.push({ kind: 'update', key: s.id, targetId: s.id, record: { sku: s.sku, location: s.location, onHand: s.onHand, reserved: s.reserved, available: s.available } });
    }
    // Levels never written before: only SKUs the shop sells. An ERP keeps products the shop does not have;
    // without this look-up (a read) every run would send them again and fail (a write per run, forever).
    const fresh = [...new Set(changed.filter((op) => !links.has(op.key)).map((op) => op.record.sku))];
    if (fresh.length) {
      const found = await retryTransientFailures(() => engine.shop.findByNaturalKey('product', fresh.map((sku) => ({ type: 'sku' as const, value: sku }))));
      const sold = new Set(fresh.filter((sku) => found.get(`sku:${sku}`)?.length));
      for (const op of changed.filter((o) => !links.has(o.key) && !sold.has(o.record.sku))) {
        report.add({ outcome: 'skipped', id: op.key, label: op.record.sku, reason: `SKU ${op.record.sku} is not in ${engine.names.shop}` });
      }
      changed.splice(0, changed.length, ...changed.filter((o) => links.has(o.key) || sold.has(o.record.sku)));
    }
    if (!opts.dryRun) {
      // stock writes set absolute quantities: repeating them after a transient failure is harmless
      const results = await retryTransientFailures(() => writeBatches(engine.shop, 'stock', changed, { lookup: () => undefined }, batchSize));
      const m: BatchMutations = { links: [], deadLetters: [], entity: 'stock', source: 'erp' };
      results.forEach((r, i) => {
        const op = changed[i]!;
        if (r.ok) {
          report.add({ outcome: 'updated', id: op.key, label: op.record.sku, reason: `available ${op.record.available}` });
          m.links.push({ entity: 'stock', shopId: op.key, erpId: op.key, erpHash: hashes.get(op.key) ?? null, shopHash: hashes.get(op.key) ?? null });
        } else if (r.error.kind === 'not_found') {
          report.add({ outcome: 'skipped', id: op.key, label: op.record.sku, reason: `SKU ${op.record.sku} is not in ${engine.names.shop}` });
        } else {
          report.add({ outcome: 'failed', id: op.key, label: op.record.sku, reason: r.error.describe() });
          m.deadLetters.push({ entity: 'stock', source: 'erp', sourceId: op.key, label: op.record.sku, raw: op.record, data: op.record, error: r.error });
        }
      });
      await commitBatch(engine, m);
      await evaluateAlerts(engine, [...wanted.values()]);
    } else {
      for (const op of changed) report.add({ outcome: 'updated', id: op.key, label: op.record.sku, reason: `available ${op.record.available}` });
    }
    return report;
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    if (runId) await engine.store.runs.finish(runId, { status, counts: report.counts, report: report.toJSON() as never });
    if (!opts.dryRun) observeRun(engine, report, 'poll', status, started);
    if (!opts.dryRun && status === 'ok') engine.metrics.flowSucceeded(`stock:${report.direction}`);
  }
}

