/**
 * The fields of each canonical entity as a tree of dotted paths ('name', 'variants.price'), derived from
 * the zod schemas. Used for per-field ownership (engine) and to validate owner.fields in tandem.yaml.
 */
import { z } from 'zod';
import { SCHEMAS, type EntityType } from './entities.js';

/** Field tree of a canonical schema: { name: null, variants: { sku: null, price: null, … } }. */
export type FieldTree = { [key: string]: FieldTree | null };

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

/** Unknown paths in owner.fields, for config validation messages. */
export function unknownOwnedPaths(entity: EntityType, paths: string[]): string[] {
  const tree = fieldTree(entity);
  return paths.filter((p) => {
    const [head, leaf, ...rest] = p.split('.');
    if (rest.length || head === undefined || !Object.hasOwn(tree, head)) return true;
    if (leaf === undefined) return false;
    const sub = tree[head];
    return !sub || !Object.hasOwn(sub, leaf);
  });
}
