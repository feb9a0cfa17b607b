/**
 * The order-free view of a canonical record, for hashing and comparing: systems return variants,
 * attribute values, categories and addresses in their own order, which is not a difference.
 */
import type { EntityType } from '../../model/entities.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function comparableView<T>(entity: EntityType, data: T): T {
  const d = data as Record<string, unknown>;
  if (entity === 'product') {
    const out: Record<string, unknown> = { ...d };
    if (Array.isArray(d.variants)) out.variants = [...(d.variants as Array<{ sku: string }>)].sort((a, b) => byText(a.sku, b.sku));
    if (Array.isArray(d.attributes)) out.attributes = [...(d.attributes as Array<{ name: string; values: string[] }>)].map((a) => ({ ...a, values: [...a.values].sort(byText) })).sort((a, b) => byText(a.name, b.name));
    if (Array.isArray(d.categoryIds)) out.categoryIds = [...(d.categoryIds as string[])].sort(byText);
    return out as T;
  }
  if (entity === 'customer' && Array.isArray(d.addresses)) {
    const key = (a: Record<string, unknown>) => `${String(a.type)}|${String(a.name)}|${String(a.street)}|${String(a.zip)}`;
    return { ...d, addresses: [...(d.addresses as Array<Record<string, unknown>>)].sort((a, b) => byText(key(a), key(b))) } as T;
  }
  return data;
}
