import { z } from 'zod';
import { secret, httpOptions, writeOptions } from '../../config/common.js';
import { ORDER_STATUSES } from '../../model/entities.js';

const auth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), token: secret() }).strict(),
  z.object({ type: z.literal('basic'), username: z.string(), password: secret() }).strict(),
  z.object({ type: z.literal('header'), name: z.string().min(1), value: secret() }).strict(),
]);

export const PAGINATION_STYLES = ['laravel', 'page', 'offset', 'cursor', 'link'] as const;
const pagination = z.enum(PAGINATION_STYLES);
export type PaginationStyle = z.infer<typeof pagination>;

/**
 * How one entity of the shop looks, when it differs from the Tandem contract (docs/rest-shop.md).
 * Every string marked JSONata is compiled once when the connector is created.
 */
const entityShape = z
  .object({
    /** Path of the list endpoint relative to `url`, e.g. /products. */
    path: z.string().optional(),
    pagination: pagination.optional(),
    /** Where the record array sits in a list response (JSONata), e.g. "data" or "result.items". */
    items: z.string().optional(),
    /** Canonical field → JSONata expression over the shop's record, e.g. name: "name_uk". */
    fields: z.record(z.string(), z.string()).optional(),
    /** The record's id in the shop (JSONata over the record); default "id". */
    id: z.string().optional(),
    /** The record's last change (JSONata over the record); default "updated_at". */
    updatedAt: z.string().optional(),
    /** Query parameter carrying the since value (inclusive, ≥); default "updated_since". */
    sinceParam: z.string().optional(),
    /** Query parameter carrying the keyset id (strictly after); default "after_id"; "" when the shop has none. */
    afterIdParam: z.string().optional(),
    /** Query parameter for the page size; default per_page (page/laravel/cursor/link) or limit (offset). */
    pageSizeParam: z.string().optional(),
    /** Largest page the shop serves; default 500. */
    maxPageSize: z.number().int().min(1).max(10_000).optional(),
    /** cursor pagination: where the next cursor sits (JSONata over the response); default "meta.next_cursor". */
    nextCursor: z.string().optional(),
    /** cursor pagination: query parameter that carries it; default "cursor". */
    cursorParam: z.string().optional(),
    /** Query parameters of the lookups by ids / natural keys (comma-separated values). */
    query: z
      .object({ ids: z.string().optional(), sku: z.string().optional(), barcode: z.string().optional(), email: z.string().optional(), number: z.string().optional() })
      .strict()
      .optional(),
    /**
     * Writes: shop field path → JSONata expression over the canonical record ($contract is the contract-shape
     * item). When set, each item sent to the batch endpoint is built from these instead of the contract shape.
     */
    write: z.record(z.string(), z.string()).optional(),
    /** Batch write endpoint, relative to `url`; default `<path>/batch`. */
    writePath: z.string().optional(),
  })
  .strict();
export type RestShopEntityShape = z.infer<typeof entityShape>;

export const RestShopSettings = z
  .object({
    type: z.literal('rest-shop'),
    url: z.string().url().describe('base URL of the shop API, e.g. https://shop.example.com/api/tandem'),
    auth,
    webhookSecret: secret().optional().describe('HMAC-SHA256 secret of the shop\'s outgoing webhooks, as ${ENV_VAR}'),
    currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
    pagination: pagination.default('laravel'),
    entities: z.partialRecord(z.enum(['category', 'product', 'price', 'customer', 'order', 'stock']), entityShape).default({}),
    /** Shop status name → canonical status, when the shop uses its own names (writes use the first match). */
    statuses: z.record(z.string(), z.enum(ORDER_STATUSES)).default({}),
    /** Re-read this many seconds before the cursor (shops whose updated_at is stamped before commit). */
    overlapSeconds: z.number().int().min(0).max(86_400).default(0),
    ...httpOptions,
    ...writeOptions,
  })
  .strict();
export type RestShopSettings = z.infer<typeof RestShopSettings>;
export type RestShopSettingsInput = z.input<typeof RestShopSettings>;
