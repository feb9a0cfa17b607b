/**
 * How a run writes to a flow direction's target: records per write call (`writeBatchSize`) and write calls
 * in flight (`writeConcurrency`), set per system in tandem.yaml, else the measured default of the target's
 * connector type (docs/benchmarks.md: the Odoo `create` sweet spot; WooCommerce takes at most 100 per batch).
 * Records of several source pages are gathered into one write batch when the target's batch is bigger than
 * the source's page (batch-pipeline.ts).
 *
 * The write size is adaptive where the default says so (Odoo) or the setting gives bounds
 * (`writeBatchSize: { min, max, initial }`): it grows while bigger writes stay as fast per record and within
 * the time budget, and shrinks on a slow or overloaded write (adaptive-write-size.ts). A number keeps it
 * fixed. One adaptive size per target connector and entity (a product and a partner do not cost the same
 * per record), kept for the life of the process: the next run starts where the last one got to.
 */
import type { Connector } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import type { Engine } from '../context.js';
import { parseInterval } from '../../shared/interval.js';
import { AdaptiveWriteSize, type WriteSizeOptions, type WriteSizeSetting } from './adaptive-write-size.js';
import type { Direction } from './direction.js';

export interface WriteSizing {
  /** Records per write call at the start; also about the size of a group of source pages decided and committed together. */
  batchSize: number;
  /** Groups in flight at once (1: one after another, as before). */
  concurrency: number;
  /** The adaptive size, when the size may change while running (then it rules, `batchSize` is its start). */
  adaptive?: AdaptiveWriteSize;
  /**
   * Records in the FIRST group of a run, when fewer than the write size (whole source pages: a page bigger
   * than this is one group). The target gets to work after the first page instead of after a whole write
   * batch of pages; the groups after it take the write size. A slow target is the run's critical path (a
   * live Odoo 17: two creates of 500 took 7.3 s of the 11.2 s of 1,000 products; its first create started
   * 2.9 s into the run, once 5 WooCommerce pages were read).
   */
  first?: number;
}

/** Records per write call now. */
export function writeSizeNow(s: Pick<WriteSizing, 'batchSize' | 'adaptive'>): number {
  return s.adaptive?.size ?? s.batchSize;
}

export interface WriteDefaults {
  /** A fixed size, or the adaptive bounds (measured, docs/benchmarks.md). */
  batchSize?: WriteSizeSetting;
  concurrency?: number;
  /** Records in the first group of a run (WriteSizing.first). */
  first?: number;
}

/**
 * Measured defaults per connector type; a type not listed writes in the flow's batchSize, one call at a time.
 * Odoo: the first group of a run is one source page (`first`), so Odoo starts while the shop is still read;
 * 500 per `create` was the sweet spot of one call on a loaded server; bigger writes cost fewer calls
 * (4 of the ~6 calls per product write do not depend on its size), so the size grows from there while the
 * server keeps up, up to 5,000 (reads take ≤ 10,000 keys per call). Measured on the real Odoo 17 of the lab
 * under load (docs/benchmarks.md, "Odoo write sizes"): 500 simple products in 5.5 s, 1,000 in 10.2 s,
 * 2,000 in 28 s; 500 products with 2 variants each in 33 s — there the time budget (a third of the HTTP
 * timeout) makes the writes smaller, not bigger.
 */
export const WRITE_DEFAULTS: Readonly<Record<string, WriteDefaults>> = {
  odoo: { batchSize: { min: 100, initial: 500, max: 5_000 }, concurrency: 2, first: 100 },
  woocommerce: { batchSize: 100, concurrency: 1 },
};

const sizers = new WeakMap<Connector, Map<string, AdaptiveWriteSize>>();

export function writeSizing(engine: Pick<Engine, 'config'> & Partial<Pick<Engine, 'log'>>, dir: Pick<Direction, 'entity' | 'flow' | 'to' | 'overrides'>): WriteSizing {
  const system = engine.config.systems[dir.to.name] as { writeBatchSize?: WriteSizeSetting; writeConcurrency?: number; timeout?: string } | undefined;
  const defaults = WRITE_DEFAULTS[dir.to.type] ?? {};
  const own = system?.writeBatchSize;
  // bounds left out of an adaptive setting are the connector type's defaults
  const setting: WriteSizeSetting =
    own !== undefined && typeof own === 'object' && defaults.batchSize !== undefined && typeof defaults.batchSize === 'object' ? { ...defaults.batchSize, ...own } : (own ?? defaults.batchSize ?? dir.flow.batchSize);
  let concurrency = system?.writeConcurrency ?? defaults.concurrency ?? 1;
  // Groups in flight at once are kept apart by the natural keys of their records (batch-pipeline.ts), read
  // from the source record as the connector mapped it: field overrides may change those keys, so such a
  // flow writes one group at a time. Categories name parents created earlier in the run: one at a time too.
  if (dir.overrides.size > 0 || dir.entity === 'category') concurrency = 1;
  const first = defaults.first !== undefined ? { first: defaults.first } : {};
  if (typeof setting === 'number') return { batchSize: setting, concurrency, ...first };
  // a write may take a third of the system's HTTP timeout (default 30 s: 10 s), so a slow server is met by
  // smaller writes long before one of its calls times out
  const timeoutMs = (system?.timeout !== undefined ? parseInterval(system.timeout) : null) ?? 30_000;
  const log = engine.log;
  const adaptive = adaptiveSize(dir.to, dir.entity, setting, timeoutMs / 3, log && ((c) => log.info({ ...c, entity: dir.entity }, `write size for ${c.system} ${dir.entity}: ${c.from} → ${c.to} (${c.why})`)));
  return { batchSize: adaptive.size, concurrency, adaptive, ...first };
}

/** The adaptive size of a target and entity (created on first use; a changed setting starts a new one). */
function adaptiveSize(to: Connector, entity: EntityType, setting: Exclude<WriteSizeSetting, number>, budgetMs: number, onResize: WriteSizeOptions['onResize']): AdaptiveWriteSize {
  const min = setting.min ?? Math.min(100, setting.max ?? 100);
  const max = Math.max(min, setting.max ?? 5_000);
  const initial = Math.min(max, Math.max(min, setting.initial ?? min));
  let perEntity = sizers.get(to);
  if (!perEntity) sizers.set(to, (perEntity = new Map()));
  const key = `${entity}:${min}:${max}:${initial}:${budgetMs}`;
  let sizer = perEntity.get(key);
  if (!sizer) perEntity.set(key, (sizer = new AdaptiveWriteSize({ system: to.name, min, max, initial, budgetMs, ...(onResize && { onResize }) })));
  return sizer;
}
