import { z } from 'zod';
import { secret, httpOptions } from '../../config/common.js';

export const WooCommerceSettings = z
  .object({
    type: z.literal('woocommerce'),
    url: z.string().url().describe('site URL, e.g. https://shop.example.com (REST base /wp-json/wc/v3 is added)'),
    consumerKey: secret().describe('ck_… of a REST API key with Read/Write permission, as ${ENV_VAR}'),
    consumerSecret: secret().describe('cs_… of that key, as ${ENV_VAR}'),
    webhookSecret: secret().optional().describe('secret Tandem sets on the webhooks it registers, as ${ENV_VAR}'),
    /** Public URL where WooCommerce can reach Tandem's webhook endpoint. */
    webhookUrl: z.string().url().optional(),
    ...httpOptions,
  })
  .strict();
export type WooCommerceSettings = z.infer<typeof WooCommerceSettings>;
