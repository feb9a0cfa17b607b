/**
 * References between records (a product's categories, a category's parent) hold ids of the record's own
 * system. Before two systems' versions of a record are compared, the references are translated into one
 * system's ids through the links. Only references to records Tandem links count: an ERP's default
 * category ("All") that no shop category maps to is not a difference.
 */
import type { EntityType } from '../../model/entities.js';

export type RefMap = (entity: 'category', id: string) => string | undefined;

export function referencedIds(entity: EntityType, data: unknown): string[] {
  const d = data as Record<string, unknown>;
  if (entity === 'product') return (d.categoryIds as string[] | undefined) ?? [];
  if (entity === 'category' && typeof d.parentId === 'string') return [d.parentId];
  return [];
}

/** References translated into the other system's ids; references without a link are dropped. */
export function translateRefs<T>(entity: EntityType, data: T, map: RefMap): T {
  const d = data as Record<string, unknown>;
  if (entity === 'product' && Array.isArray(d.categoryIds)) return { ...d, categoryIds: (d.categoryIds as string[]).flatMap((id) => map('category', id) ?? []).sort() } as T;
  if (entity === 'category' && typeof d.parentId === 'string') return { ...d, parentId: map('category', d.parentId) ?? null } as T;
  return data;
}

/** References kept only where linked (`known`), order-free lists sorted: the other side's view, comparable. */
export function knownRefs<T>(entity: EntityType, data: T, known: (id: string) => boolean): T {
  return translateRefs(entity, data, (_e, id) => (known(id) ? id : undefined));
}
