import { z } from 'zod';
import { secret, httpOptions } from '../../config/common.js';

const auth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), token: secret() }).strict(),
  z.object({ type: z.literal('basic'), username: z.string(), password: secret() }).strict(),
  z.object({ type: z.literal('header'), name: z.string().min(1), value: secret() }).strict(),
]);

const pagination = z.enum(['laravel', 'page', 'offset', 'cursor', 'link']);

/** How one entity of the shop looks, when it differs from the Tandem contract (docs/rest-shop.md). */
const entityShape = z
  .object({
    /** Path of the list endpoint relative to `url`, e.g. /products. */
    path: z.string().optional(),
    pagination: pagination.optional(),
    /** Where the record array sits in a list response (JSONata), e.g. "data". */
    items: z.string().optional(),
    /** Canonical field → JSONata expression over the shop's record, e.g. name: "name_uk". */
    fields: z.record(z.string(), z.string()).optional(),
    /** Query parameter carrying the cursor / since value. */
    sinceParam: z.string().optional(),
  })
  .strict();

export const RestShopSettings = z
  .object({
    type: z.literal('rest-shop'),
    url: z.string().url().describe('base URL of the shop API, e.g. https://shop.example.com/api/tandem'),
    auth,
    webhookSecret: secret().optional().describe('HMAC-SHA256 secret of the shop\'s outgoing webhooks, as ${ENV_VAR}'),
    currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
    pagination: pagination.default('laravel'),
    entities: z.record(z.string(), entityShape).default({}),
    ...httpOptions,
  })
  .strict();
export type RestShopSettings = z.infer<typeof RestShopSettings>;
