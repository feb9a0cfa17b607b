import { z } from 'zod';
import { secret, httpOptions, duration, writeOptions } from '../../config/common.js';

export const OdooSettings = z
  .object({
    type: z.literal('odoo'),
    url: z.string().url().describe('base URL of the Odoo server, e.g. https://erp.example.com'),
    db: z.string().min(1).optional().describe('database name (X-Odoo-Database); optional when the server has one'),
    user: z.string().min(1).describe('login of the dedicated integration user, e.g. shop-bot'),
    apiKey: secret().describe('API key of that user (Preferences → Account Security → New API Key), as ${ENV_VAR}'),
    protocol: z.enum(['auto', 'jsonrpc', 'json2']).default('auto').describe('auto: JSON-2 on Odoo 19+, JSON-RPC before'),
    version: z.enum(['auto', '16', '17', '18', '19']).default('auto'),
    company: z.number().int().positive().optional().describe('company id (multi-company databases)'),
    lang: z.string().default('en_US'),
    tz: z.string().default('UTC'),
    warehouse: z.string().optional().describe('warehouse code used for orders and stock, default: the first one'),
    invoicePolicy: z
      .enum(['order', 'delivery'])
      .default('order')
      .describe('invoice_policy of products Tandem creates: "order" lets orders be invoiced on payment (orders.invoice: on_payment); "delivery" for orders.invoice: on_delivery'),
    orderReferencePrefix: z
      .string()
      .optional()
      .describe('prefix of the shop order number in the sale order\'s Customer Reference (client_order_ref), so numbers of several shops (or a reinstalled shop) never collide; default: the shop system\'s name + "-", e.g. "shop-1042"; "" for none'),
    productChatter: z
      .boolean()
      .default(false)
      .describe('products Tandem creates get Odoo\'s chatter: the integration user as follower and a "created" message per product and template; off by default, as in Odoo\'s own import (tracking_disable): it costs 1.5–2.6× the Odoo CPU of a product create'),
    readOverlap: duration()
      .default('5m')
      .describe('incremental reads re-read this far back (Odoo stamps write_date at transaction start, so long transactions commit "in the past")'),
    ...httpOptions,
    ...writeOptions,
  })
  .strict();
export type OdooSettings = z.infer<typeof OdooSettings>;
