/**
 * Per-field ownership. Each canonical field (dotted path; through arrays, e.g. 'variants.price') is owned
 * by one side. A side writes only the fields it owns; the hash that detects changes covers only them.
 */
import type { EntityType } from '../../model/entities.js';
import { fieldTree } from '../../model/fields.js';
import type { SystemRole } from '../../model/system-role.js';
import type { FlowConfig } from '../../config/schema.js';

/** Every leaf path the side owns, e.g. ['name', 'variants.sku', …]. */
export function ownedFields(entity: EntityType, flow: Pick<FlowConfig, 'direction' | 'owner'>, side: SystemRole): string[] {
  const fallback: SystemRole = flow.owner.default ?? (flow.direction === 'erp->shop' ? 'erp' : 'shop');
  const explicit = flow.owner.fields;
  const ownerOf = (path: string, parent?: string): SystemRole => explicit[path] ?? (parent ? explicit[parent] : undefined) ?? fallback;
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
