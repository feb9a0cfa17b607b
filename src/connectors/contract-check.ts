/** What a connector supports per entity, what `tandem check` asks of it and what it reports (part of the connector contract, re-exported by contract.ts). */
import type { EntityType } from '../model/entities.js';

export interface CheckItem {
  name: string;
  ok: boolean;
  message: string;
  /** What to do when not ok. */
  hint?: string;
}

export interface CheckReport {
  system: string;
  ok: boolean;
  version?: string;
  items: CheckItem[];
}

/** What a flow needs from a system, so `check` can test exactly those rights. */
export interface CheckNeeds {
  entities: Partial<Record<EntityType, Array<'read' | 'write'>>>;
  /** Order lifecycle / finance actions the configured flows will call. */
  actions?: Array<'orders' | 'fulfilment' | 'invoicing' | 'payments' | 'returns' | 'refunds' | 'cancellation' | 'stock'>;
}

/** What a connector can do with an entity. */
export interface EntitySupport {
  read: boolean;
  write: boolean;
  webhook: boolean;
}
