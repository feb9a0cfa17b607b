/**
 * A flow direction (source → target of one entity), resolved once per run: the two connectors, which
 * fields each side owns, which of them both systems can store (what "equal on both sides" is judged on)
 * and the compiled field overrides.
 */
import type { Connector } from '../../connectors/contract.js';
import type { FlowConfig } from '../../config/schema.js';
import type { EntityType } from '../../model/entities.js';
import { fieldTree } from '../../model/fields.js';
import type { SystemRole } from '../../model/system-role.js';
import type { Engine } from '../context.js';
import { connectorOf, flowOf } from '../context.js';
import { compileOverrides, type CompiledOverrides } from './overrides.js';
import { ownedFields } from './ownership.js';

export interface Direction<E extends EntityType = EntityType> {
  entity: E;
  flow: FlowConfig;
  source: SystemRole;
  target: SystemRole;
  from: Connector;
  to: Connector;
  ownedBySource: string[];
  ownedByTarget: string[];
  /** Source-owned fields both systems can store: what "equal on both sides" is judged on. */
  comparable: string[];
  /** The same for the target-owned fields (whether the target's own changes are in the source yet). */
  comparableByTarget: string[];
  overrides: CompiledOverrides;
  /** Source-owned fields the target cannot store (its connector's `unsupportedFields`): never written there. */
  unwritable: string[];
}

/** Owned fields minus those either system cannot store (they would differ forever). */
export function comparableFields(entity: EntityType, owned: string[], ...conns: Pick<Connector, 'unsupportedFields'>[]): string[] {
  const unsupported = new Set(conns.flatMap((c) => c.unsupportedFields?.[entity] ?? []));
  if (unsupported.size === 0) return owned;
  const heads = new Set([...unsupported].map((p) => p.split('.')[0]));
  const out: string[] = [];
  for (const f of owned) {
    if (unsupported.has(f)) continue;
    if (!f.includes('.') && heads.has(f)) {
      // a whole array/object owned, some of its leaves unsupported: compare the supported leaves only
      const tree = fieldTree(entity)[f];
      if (tree) for (const leaf of Object.keys(tree)) if (!unsupported.has(`${f}.${leaf}`)) out.push(`${f}.${leaf}`);
      continue;
    }
    out.push(f);
  }
  return out;
}

/** The source-owned fields `to` cannot store: a whole owned array counts for its unsupported leaves. */
export function unwritableFields(entity: EntityType, owned: string[], to: Pick<Connector, 'unsupportedFields'>): string[] {
  const own = new Set(owned);
  return (to.unsupportedFields?.[entity] ?? []).filter((u) => own.has(u) || own.has(u.split('.')[0]!));
}

/** The sentence a run report carries for such fields, once per run. */
export function unwritableNote(dir: Pick<Direction, 'unwritable' | 'entity'> & { from: { name: string }; to: { name: string } }): string | null {
  if (dir.unwritable.length === 0) return null;
  return `${dir.to.name} cannot hold ${dir.entity} field${dir.unwritable.length > 1 ? 's' : ''} ${dir.unwritable.join(', ')}: changes of ${dir.unwritable.length > 1 ? 'them' : 'it'} in ${dir.from.name} are not synced to ${dir.to.name}`;
}

export function resolveDirection<E extends EntityType>(engine: Engine, flow: FlowConfig, source: SystemRole): Direction<E> {
  const target: SystemRole = source === 'shop' ? 'erp' : 'shop';
  const index = engine.config.flows.indexOf(flow);
  const from = connectorOf(engine, source);
  const to = connectorOf(engine, target);
  const ownedBySource = ownedFields(flow.entity, flow, source);
  const ownedByTarget = ownedFields(flow.entity, flow, target);
  // category references are compared only when Tandem links categories
  const linkedRefs = (f: string) => Boolean(flowOf(engine, 'category')) || (f !== 'categoryIds' && f !== 'parentId');
  return {
    entity: flow.entity as E,
    flow,
    source,
    target,
    from,
    to,
    ownedBySource,
    ownedByTarget,
    comparable: comparableFields(flow.entity, ownedBySource, from, to).filter(linkedRefs),
    comparableByTarget: comparableFields(flow.entity, ownedByTarget, from, to).filter(linkedRefs),
    overrides: compileOverrides(flow.fields, `flows[${index}]`),
    unwritable: unwritableFields(flow.entity, ownedBySource, to),
  };
}

/** "shop->erp": how runs, reports and metrics name a direction. */
export const directionLabel = (dir: Pick<Direction, 'source' | 'target'>) => `${dir.source}->${dir.target}`;
