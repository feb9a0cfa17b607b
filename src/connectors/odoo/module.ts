/** The Odoo connector as the registry sees it: the ERP role, its settings, its starter snippet. */
import { defineConnector } from '../module.js';
import { SYSTEM } from './errors.js';
import { createOdooConnector } from './index.js';
import { OdooSettings } from './settings.js';

const STARTER = `  erp:
    type: odoo
    url: https://erp.example.com         # base URL of your Odoo (16, 17, 18 or 19)
    db: production                       # database name; optional when the server has only one
    user: shop-bot                       # a dedicated integration user with only the groups it needs
    apiKey: \${ODOO_API_KEY}              # Preferences → Account Security → New API Key
    protocol: auto                       # auto | jsonrpc | json2 (auto: JSON-2 on Odoo 19+)
    timeout: 30s
    # warehouse: WH                      # warehouse code for orders and stock; default: the first one
    # rateLimit: { perSecond: 10, burst: 20 }
    # concurrency: { min: 2, max: 32 }   # requests in flight at once: adaptive (the default), or a number
`;

export const odooModule = defineConnector({
  type: SYSTEM,
  role: 'erp',
  label: 'Odoo',
  settingsSchema: OdooSettings,
  create: createOdooConnector,
  starter: STARTER,
});
