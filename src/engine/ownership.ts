/**
 * Per-field ownership. Each canonical field (dotted path; through arrays, e.g. 'variants.price') is owned
 * by one side. A side writes only the fields it owns; the hash that detects changes covers only them.
 */
import { z } from 'zod';
import { SCHEMAS, type EntityType } from '../model/entities.js';
import type { FlowConfig } from '../config/schema.js';

export type Side = 'shop' | 'erp';
export const other = (side: Side): Side => (side === 'shop' ? 'erp' : 'shop');

/** Field tree of a canonical schema: { name: null, variants: { sku: null, price: null, … } }. */
type FieldTree = { [key: string]: FieldTree | null };

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = (s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; getter?: () => z.ZodType } } })._zod.def;
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault') && def.innerType) s = def.innerType;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return s;
  }
}

function treeOf(schema: z.ZodType, depth = 0): FieldTree | null {
  const s = unwrap(schema);
  if (depth > 1) return null;
  if (s instanceof z.ZodObject) {
    const out: FieldTree = {};
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) if (k !== 'id') out[k] = depth === 0 ? treeOf(v, depth + 1) : null;
    return out;
  }
  if (s instanceof z.ZodArray) {
    const item = unwrap(s.element as z.ZodType);
    if (item instanceof z.ZodObject && depth === 1) {
      // `id` of an item (a variant's own id) identifies it in one system: it is never data to compare or own
      const out: FieldTree = {};
      for (const k of Object.keys(item.shape)) if (k !== 'id') out[k] = null;
      return out;
    }
  }
  return null;
}

const trees = new Map<EntityType, FieldTree>();
export function fieldTree(entity: EntityType): FieldTree {
  let t = trees.get(entity);
  if (!t) {
    t = treeOf(SCHEMAS[entity] as z.ZodType) ?? {};
    trees.set(entity, t);
  }
  return t;
}

/** Every leaf path the side owns, e.g. ['name', 'variants.sku', …]. */
export function ownedFields(entity: EntityType, flow: Pick<FlowConfig, 'direction' | 'owner'>, side: Side): string[] {
  const fallback: Side = flow.owner.default ?? (flow.direction === 'erp->shop' ? 'erp' : 'shop');
  const explicit = flow.owner.fields;
  const ownerOf = (path: string, parent?: string): Side => explicit[path] ?? (parent ? explicit[parent] : undefined) ?? fallback;
  const out: string[] = [];
  for (const [key, sub] of Object.entries(fieldTree(entity))) {
    const hasNested = sub && Object.keys(explicit).some((p) => p.startsWith(`${key}.`));
    if (sub && hasNested) {
      for (const leaf of Object.keys(sub)) if (ownerOf(`${key}.${leaf}`, key) === side) out.push(`${key}.${leaf}`);
    } else if (ownerOf(key) === side) {
      out.push(key);
    }
  }
  return out;
}

/** Unknown paths in owner.fields, for config validation messages. */
export function unknownOwnedPaths(entity: EntityType, paths: string[]): string[] {
  const tree = fieldTree(entity);
  return paths.filter((p) => {
    const [head, leaf, ...rest] = p.split('.');
    if (rest.length || head === undefined || !(head in tree)) return true;
    if (leaf === undefined) return false;
    const sub = tree[head];
    return !sub || !(leaf in sub);
  });
}

/** The part of `record` covered by `paths` (arrays keep their items, each reduced to the owned leaves). */
export function pick(record: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const nested = new Map<string, string[]>();
  for (const p of paths) {
    const dot = p.indexOf('.');
    if (dot < 0) out[p] = record[p];
    else {
      const head = p.slice(0, dot);
      nested.set(head, [...(nested.get(head) ?? []), p.slice(dot + 1)]);
    }
  }
  for (const [head, leaves] of nested) {
    const v = record[head];
    const reduce = (item: unknown) => {
      const o: Record<string, unknown> = {};
      for (const l of leaves) o[l] = (item as Record<string, unknown> | null)?.[l];
      return o;
    };
    out[head] = Array.isArray(v) ? v.map(reduce) : v && typeof v === 'object' ? reduce(v) : v;
  }
  return out;
}

/**
 * `target` with the owned `paths` taken from `source`. Array items (variants) are matched by `sku` when
 * both have one, else by position; items only in source are added.
 */
export function overlay<T extends Record<string, unknown>>(target: T, source: T, paths: string[]): T {
  const out: Record<string, unknown> = { ...target };
  const nested = new Map<string, string[]>();
  for (const p of paths) {
    const dot = p.indexOf('.');
    if (dot < 0) out[p] = source[p];
    else nested.set(p.slice(0, dot), [...(nested.get(p.slice(0, dot)) ?? []), p.slice(dot + 1)]);
  }
  for (const [head, leaves] of nested) {
    const src = source[head];
    const tgt = target[head];
    if (!Array.isArray(src)) continue;
    const tgtItems = Array.isArray(tgt) ? (tgt as Record<string, unknown>[]) : [];
    out[head] = src.map((item: Record<string, unknown>, i) => {
      const match = tgtItems.find((t) => t.sku !== undefined && t.sku === item.sku) ?? (item.sku === undefined ? tgtItems[i] : undefined);
      const merged: Record<string, unknown> = { ...(match ?? item) };
      for (const l of leaves) merged[l] = item[l];
      return merged;
    });
  }
  return out as T;
}
