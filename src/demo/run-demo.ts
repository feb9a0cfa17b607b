/** Starts the stack for the demo, seeds it, tells the story, stops everything. */
import type { Logger } from '../shared/log.js';
import { demoCurrency } from './currency.js';
import { seedDemo, seedErpShippingProduct, DEMO_TAX } from './seed.js';
import { startStack, type RealErp, type RealWoo } from './stack.js';
import { runStory, type StoryResult, type StoryStep } from './story.js';

export interface DemoSettings {
  shop: 'rest-shop' | 'woocommerce';
  odooVersion: 16 | 17 | 18 | 19;
  erp?: RealErp;
  woo?: RealWoo;
  /** Prefix of this run's SKUs and order references against real systems (default: D + the time, base 36). */
  tag?: string;
}

export async function runDemo(opts: DemoSettings & { storeUrl: string; log: Logger }, onStep: (s: StoryStep) => void): Promise<StoryResult> {
  const real = Boolean(opts.erp || opts.woo);
  // Real systems keep what earlier runs left: this run's SKUs and ERP order references are its own, so the
  // demo can run any number of times against the same shop and Odoo (shop order numbers repeat across shops).
  const tag = real ? (opts.tag ?? `D${Date.now().toString(36).toUpperCase()}-`) : '';
  const currency = await demoCurrency({ ...(opts.erp && { erp: opts.erp }), ...(opts.woo && { woo: opts.woo }) }, opts.log);
  const stack = await startStack({
    currency,
    shop: opts.shop,
    storeUrl: opts.storeUrl,
    log: opts.log,
    odooVersion: opts.odooVersion,
    ...(opts.erp && { erp: { ...opts.erp, orderReferencePrefix: `shop-${tag}` } }),
    ...(opts.woo && { woo: opts.woo }),
    // Against a real Odoo the simulated shop charges no tax, so no ERP tax has to exist for the story.
    ...(opts.erp && { shopTaxRate: '0' }),
    config: {
      orders: {
        taxes: opts.erp ? [] : [{ rate: '20', erpTax: DEMO_TAX }],
        // an Odoo without the delivery module has no delivery methods: shipping lines go on this product
        ...(opts.erp && { shippingProduct: `${tag}SHIPPING` }),
        carriers: { standard: 'Standard delivery', 'Flat rate': 'Standard delivery', flat_rate: 'Standard delivery' },
      },
      ...(real && { stock: { lowStock: { threshold: 0 } } }),
    } as never,
  });
  try {
    await seedDemo(stack, currency, tag);
    if (opts.erp) await seedErpShippingProduct(stack, `${tag}SHIPPING`, currency);
    const result = await runStory(stack, onStep, tag);
    if (result.failed) {
      for (const d of await stack.engine.queue.list({ state: 'dead', limit: 5 })) opts.log.error({ job: d.id, kind: d.kind, key: d.key, error: d.lastError }, 'dead letter');
    }
    return result;
  } finally {
    await stack.close();
  }
}
