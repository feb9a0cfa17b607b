/**
 * How a run writes to a flow direction's target: records per write call (`writeBatchSize`) and write calls
 * in flight (`writeConcurrency`), set per system in tandem.yaml, else the measured default of the target's
 * connector type (docs/benchmarks.md: the Odoo `create` sweet spot; WooCommerce takes at most 100 per batch).
 * Records of several source pages are gathered into one write batch when the target's batch is bigger than
 * the source's page (batch-pipeline.ts).
 */
import type { Engine } from '../context.js';
import type { Direction } from './direction.js';

export interface WriteSizing {
  /** Records per write call; also the size of a group of source pages decided and committed together. */
  batchSize: number;
  /** Groups in flight at once (1: one after another, as before). */
  concurrency: number;
}

/** Measured defaults per connector type; a type not listed writes in the flow's batchSize, one call at a time. */
export const WRITE_DEFAULTS: Readonly<Record<string, Partial<WriteSizing>>> = {
  odoo: { batchSize: 500, concurrency: 2 },
  woocommerce: { batchSize: 100, concurrency: 1 },
};

export function writeSizing(engine: Pick<Engine, 'config'>, dir: Pick<Direction, 'entity' | 'flow' | 'to' | 'overrides'>): WriteSizing {
  const system = engine.config.systems[dir.to.name] as { writeBatchSize?: number; writeConcurrency?: number } | undefined;
  const defaults = WRITE_DEFAULTS[dir.to.type] ?? {};
  const batchSize = system?.writeBatchSize ?? defaults.batchSize ?? dir.flow.batchSize;
  let concurrency = system?.writeConcurrency ?? defaults.concurrency ?? 1;
  // Groups in flight at once are kept apart by the natural keys of their records (batch-pipeline.ts), read
  // from the source record as the connector mapped it: field overrides may change those keys, so such a
  // flow writes one group at a time. Categories name parents created earlier in the run: one at a time too.
  if (dir.overrides.size > 0 || dir.entity === 'category') concurrency = 1;
  return { batchSize, concurrency };
}
