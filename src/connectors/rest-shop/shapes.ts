/**
 * Per-entity shape of the shop: where the list lives, how it pages, and JSONata expressions that read
 * (and optionally write) the shop's own field names. Everything is compiled once, when the connector is
 * created; a bad expression is a config error naming its path in tandem.yaml.
 */
import jsonata from 'jsonata';
import { SyncError } from '../../shared/errors.js';
import { parsePath, type PathSegment } from './set-path.js';
import type { PaginationStyle, RestShopSettings, RestShopEntityShape } from './settings.js';
import { SYSTEM } from './errors.js';

export const SHOP_ENTITIES = ['category', 'product', 'price', 'customer', 'order', 'stock'] as const;
export type ShopEntity = (typeof SHOP_ENTITIES)[number];

export type Expression = jsonata.Expression;

export interface FieldRule {
  path: string;
  segments: PathSegment[];
  expr: Expression;
}

export interface LookupParams {
  ids: string;
  sku: string;
  barcode: string;
  email: string;
  number: string;
}

export interface CompiledShape {
  entity: ShopEntity;
  path: string;
  writePath: string;
  pagination: PaginationStyle;
  /** null = the contract default (`data`). */
  items: Expression | null;
  fields: FieldRule[];
  id: Expression | null;
  updatedAt: Expression | null;
  sinceParam: string;
  afterIdParam: string;
  pageSizeParam: string;
  maxPageSize: number;
  nextCursor: Expression | null;
  cursorParam: string;
  query: LookupParams;
  write: FieldRule[] | null;
  /** True when nothing differs from the contract: the fast, expression-free mappers are used. */
  isContract: boolean;
}

const DEFAULT_PATHS: Record<ShopEntity, string> = {
  category: '/categories',
  product: '/products',
  price: '/prices',
  customer: '/customers',
  order: '/orders',
  stock: '/stock',
};

const DEFAULT_QUERY: LookupParams = { ids: 'ids', sku: 'skus', barcode: 'barcodes', email: 'emails', number: 'numbers' };

function compile(expr: string, where: string): Expression {
  try {
    return jsonata(expr);
  } catch (e) {
    throw new SyncError('config', `${where}: "${expr}" is not a valid JSONata expression: ${(e as Error).message}`, {
      system: SYSTEM,
      hint: 'fix the expression in tandem.yaml (try it at try.jsonata.org against a record of your shop)',
    });
  }
}

function rules(map: Record<string, string> | undefined, where: string): FieldRule[] {
  return Object.entries(map ?? {}).map(([path, expr]) => {
    let segments: PathSegment[];
    try {
      segments = parsePath(path);
    } catch (e) {
      throw new SyncError('config', `${where}: "${path}" is not a field path like name or variants[0].price.amount: ${(e as Error).message}`, { system: SYSTEM });
    }
    return { path, segments, expr: compile(expr, `${where}["${path}"]`) };
  });
}

export function compileShape(name: string, entity: ShopEntity, settings: RestShopSettings): CompiledShape {
  const s: RestShopEntityShape = settings.entities[entity] ?? {};
  const at = `systems.${name}.entities.${entity}`;
  const pagination = s.pagination ?? settings.pagination;
  const path = s.path ?? DEFAULT_PATHS[entity];
  return {
    entity,
    path,
    writePath: s.writePath ?? `${path.replace(/\/+$/, '')}/batch`,
    pagination,
    items: s.items ? compile(s.items, `${at}.items`) : null,
    fields: rules(s.fields, `${at}.fields`),
    id: s.id ? compile(s.id, `${at}.id`) : null,
    updatedAt: s.updatedAt ? compile(s.updatedAt, `${at}.updatedAt`) : null,
    sinceParam: s.sinceParam ?? 'updated_since',
    afterIdParam: s.afterIdParam ?? 'after_id',
    pageSizeParam: s.pageSizeParam ?? (pagination === 'offset' ? 'limit' : 'per_page'),
    maxPageSize: s.maxPageSize ?? 500,
    nextCursor: s.nextCursor ? compile(s.nextCursor, `${at}.nextCursor`) : null,
    cursorParam: s.cursorParam ?? 'cursor',
    query: { ...DEFAULT_QUERY, ...s.query },
    write: s.write ? rules(s.write, `${at}.write`) : null,
    isContract: !s.items && !s.fields && !s.id && !s.updatedAt,
  };
}

export function compileShapes(name: string, settings: RestShopSettings): Record<ShopEntity, CompiledShape> {
  const out = {} as Record<ShopEntity, CompiledShape>;
  for (const e of SHOP_ENTITIES) out[e] = compileShape(name, e, settings);
  return out;
}
