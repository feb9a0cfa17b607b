/** The WooCommerce connector as the registry sees it: a shop, its settings, starter snippet and webhook verifier. */
import { defineConnector } from '../module.js';
import { SYSTEM } from './errors.js';
import { createWooCommerceConnector } from './index.js';
import { WooCommerceSettings } from './settings.js';
import { verifyWooWebhook } from './webhook.js';

const STARTER = `  shop:
    type: woocommerce
    url: https://shop.example.com        # your WordPress site; /wp-json/wc/v3 is added
    consumerKey: \${WOO_CONSUMER_KEY}     # WooCommerce → Settings → Advanced → REST API, Read/Write
    consumerSecret: \${WOO_CONSUMER_SECRET}
    webhookSecret: \${WOO_WEBHOOK_SECRET} # secret Tandem sets on the webhooks it registers
    timeout: 30s
    rateLimit: { perSecond: 5, burst: 10 }
`;

export const wooCommerceModule = defineConnector({
  type: SYSTEM,
  role: 'shop',
  label: 'WooCommerce',
  settingsSchema: WooCommerceSettings,
  create: createWooCommerceConnector,
  starter: STARTER,
  verifyWebhook: (settings, req, log) => verifyWooWebhook(settings.webhookSecret, req, log),
});
