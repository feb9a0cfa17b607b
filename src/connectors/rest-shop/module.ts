/** The REST shop connector as the registry sees it: a shop, its settings, starter snippet and webhook verifier. */
import { defineConnector } from '../module.js';
import { SYSTEM } from './errors.js';
import { createRestShopConnector } from './index.js';
import { RestShopSettings } from './settings.js';
import { verifyRestShopDelivery } from './webhook.js';

const STARTER = `  shop:
    type: rest-shop                      # your own shop implementing docs/rest-shop.md
    url: https://shop.example.com/api/tandem
    auth:
      type: bearer                       # bearer | basic | header
      token: \${SHOP_API_TOKEN}
    webhookSecret: \${SHOP_WEBHOOK_SECRET} # HMAC-SHA256 secret of the shop's outgoing webhooks
    currency: EUR
    pagination: laravel                  # laravel | page | offset | cursor | link
    timeout: 30s
`;

export const restShopModule = defineConnector({
  type: SYSTEM,
  role: 'shop',
  label: 'REST shop',
  settingsSchema: RestShopSettings,
  create: createRestShopConnector,
  starter: STARTER,
  verifyWebhook: (settings, req, log) => verifyRestShopDelivery(settings, req, log),
});
