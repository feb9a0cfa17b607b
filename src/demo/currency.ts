/**
 * The currency the demo's catalog is priced in. Against a real Odoo it must be the company currency (list
 * prices are in that currency: a shop in another one would need a pricelist per currency); against a real
 * WooCommerce it is the shop's own currency. When both are real and differ, the demo stops before it
 * writes anything, with both currencies named.
 */
import { OdooTransport } from '../connectors/odoo/transport.js';
import { WooTransport } from '../connectors/woocommerce/transport.js';
import { WooCommerceSettings } from '../connectors/woocommerce/settings.js';
import { SyncError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { RealErp, RealWoo } from './stack.js';

export const SIMULATED_CURRENCY = 'EUR';

/** The first company's currency, as the Odoo connector picks the company when none is configured. */
async function odooCurrency(erp: RealErp, log: Logger): Promise<string> {
  const t = new OdooTransport({ url: erp.url, ...(erp.db && { db: erp.db }), user: erp.user, apiKey: erp.key, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 60_000, log });
  const [c] = await t.call<Array<{ currency_id: [number, string] | false }>>('res.company', 'search_read', { kwargs: { domain: [], fields: ['currency_id'], limit: 1, order: 'id asc' } });
  if (!c?.currency_id) throw new SyncError('config', 'no company with a currency is visible to the Odoo user', { system: 'odoo', hint: 'give the integration user access to the company (Settings → Users → Allowed Companies)' });
  return c.currency_id[1];
}

async function wooCurrency(woo: RealWoo, log: Logger): Promise<string> {
  const t = new WooTransport(WooCommerceSettings.parse({ type: 'woocommerce', url: woo.url, consumerKey: woo.key, consumerSecret: woo.secret }), log);
  const { data } = await t.request<{ value?: string }>('GET', 'settings/general/woocommerce_currency');
  if (!data.value) throw new SyncError('config', 'WooCommerce did not say its currency', { system: 'woocommerce', hint: 'set it in WooCommerce → Settings → General → Currency' });
  return data.value;
}

export async function demoCurrency(real: { erp?: RealErp; woo?: RealWoo }, log: Logger): Promise<string> {
  const [erp, shop] = await Promise.all([real.erp ? odooCurrency(real.erp, log) : null, real.woo ? wooCurrency(real.woo, log) : null]);
  if (erp && shop && erp !== shop) {
    throw new SyncError('config', `the shop sells in ${shop} and the Odoo company's currency is ${erp}: the demo's catalog needs one currency on both sides`, {
      hint: 'use an Odoo database whose company currency is the shop\'s (or a shop in the company currency)',
    });
  }
  return shop ?? erp ?? SIMULATED_CURRENCY;
}
