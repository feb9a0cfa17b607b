import { z } from 'zod';
import { secret, httpOptions, writeOptions } from '../../config/common.js';
import { ORDER_STATUSES } from '../../model/index.js';

/** WooCommerce order statuses the REST API knows (custom ones from plugins are allowed in the maps too). */
const wooStatus = z.string().regex(/^[a-z0-9_-]+$/, 'a WooCommerce status slug like "completed" (no "wc-" prefix)');

export const WooCommerceSettings = z
  .object({
    type: z.literal('woocommerce'),
    url: z.string().url().describe('site URL, e.g. https://shop.example.com (REST base /wp-json/wc/v3 is added)'),
    consumerKey: secret().describe('ck_… of a REST API key with Read/Write permission, as ${ENV_VAR}'),
    consumerSecret: secret().describe('cs_… of that key, as ${ENV_VAR}'),
    webhookSecret: secret().optional().describe('secret Tandem sets on the webhooks it registers, as ${ENV_VAR}'),
    /** Public URL where WooCommerce can reach Tandem's webhook endpoint. */
    webhookUrl: z.string().url().optional(),
    /**
     * auto: HTTP Basic over https, OAuth 1.0a signatures over plain http (what WooCommerce requires).
     * basic: Basic auth even on an http URL, with `X-Forwarded-Proto: https` — only for a shop behind a
     * TLS-terminating proxy on a private network (the credentials travel in clear otherwise).
     * oauth1: always sign with OAuth 1.0a.
     */
    auth: z.enum(['auto', 'basic', 'oauth1']).default('auto'),
    /** Store currency (ISO 4217). Read once from the shop's settings when absent. */
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    /** Weight unit of the shop (WooCommerce → Settings → Products). */
    weightUnit: z.enum(['kg', 'g', 'lb', 'oz']).default('kg'),
    /** WooCommerce order status → canonical status, merged over the defaults (e.g. {"shipped": "shipped"} for a plugin status). */
    statusMap: z.record(wooStatus, z.enum(ORDER_STATUSES)).optional(),
    /** Canonical status → WooCommerce status Tandem sets, merged over the defaults (shipped → completed). */
    statusToWoo: z.partialRecord(z.enum(ORDER_STATUSES), wooStatus).optional(),
    /** Re-read window behind the cursor for incremental reads (WooCommerce dates have one-second resolution). */
    overlapSeconds: z.number().int().min(1).max(3600).default(30),
    /**
     * List pages read at once by the id-ordered reads (the change feeds of products, prices, orders and
     * customers, and the verification's listing): page 1 first, then up to this many of the pages its
     * X-WP-TotalPages announces. Each request still waits for the system's adaptive `concurrency` limit.
     * 1 = one page after another. The default suits a shop with a few PHP workers (php-fpm's default is 5).
     */
    readConcurrency: z.number().int().min(1).max(16).default(4).describe('list pages read at once by id-ordered reads (1 = one after another)'),
    ...httpOptions,
    ...writeOptions,
  })
  .strict();
export type WooCommerceSettings = z.infer<typeof WooCommerceSettings>;
