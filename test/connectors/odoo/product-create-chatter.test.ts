/**
 * Issue 16 (live catalog): Odoo's chatter is most of a product create's cost on a real Odoo 17 (500 simple
 * products: 1.75–2.97 s of Odoo CPU with it, 1.13–1.17 s with `tracking_disable`). The connector creates
 * products — simple ones as product.product, products in sizes as product.template — with `tracking_disable`
 * in the call's context, as Odoo's own import does, unless `productChatter: true`. Seen on the wire (the
 * simulator does not model the chatter).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { WriteOp } from '../../../src/connectors/contract.js';
import type { Product } from '../../../src/model/index.js';

let sim: OdooSimulator | undefined;
afterEach(async () => sim?.close());

const variant = (sku: string, attributes: Record<string, string> = {}) => ({ sku, barcode: null, attributes, price: { amount: '19.90', currency: 'USD' }, salePrice: null, weight: null, active: true });
const simple: Product = { name: 'Tee', description: '', categoryIds: [], attributes: [], variants: [variant('CH-TEE')], active: true, tracksStock: false };
const sized: Product = { name: 'Runner', description: '', categoryIds: [], attributes: [{ name: 'Size', values: ['42', '43'] }], variants: [variant('CH-RUN-42', { Size: '42' }), variant('CH-RUN-43', { Size: '43' })], active: true, tracksStock: true };

/** Writes one simple product and one in sizes; the context of each create call, by model. */
async function createsWith(extra: Record<string, unknown>): Promise<{ contexts: Record<string, Record<string, unknown>>; ok: boolean[] }> {
  sim = await startOdooSimulator({ version: 17, currency: 'USD' });
  const contexts: Record<string, Record<string, unknown>> = {};
  const watched: typeof fetch = (input, init) => {
    if (typeof init?.body === 'string' && init.body.includes('execute_kw')) {
      const args = (JSON.parse(init.body) as { params: { args: unknown[] } }).params.args;
      if (args[4] === 'create' || args[4] === 'web_save') contexts[String(args[3])] = ((args[6] as { context?: Record<string, unknown> }).context ?? {}) as Record<string, unknown>;
    }
    return fetch(input, init);
  };
  const settings = OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, protocol: 'jsonrpc', ...extra });
  const erp = createOdooConnector('erp', settings, { log: pino({ level: 'silent' }), fetch: watched });
  const ops: WriteOp<'product'>[] = [
    { kind: 'create', key: 'a', record: simple },
    { kind: 'create', key: 'b', record: sized },
  ];
  const results = await erp.write('product', ops, { lookup: () => undefined });
  await erp.close?.();
  return { contexts, ok: results.map((r) => r.ok) };
}

describe('Odoo product creates without the chatter', () => {
  it('by default: tracking_disable in the context of both creates, and the products are created', async () => {
    const { contexts, ok } = await createsWith({});
    expect(ok).toEqual([true, true]);
    expect(contexts['product.product']).toMatchObject({ tracking_disable: true });
    expect(contexts['product.template']).toMatchObject({ tracking_disable: true });
  });

  it('productChatter: true keeps Odoo’s chatter (no tracking_disable)', async () => {
    const { contexts, ok } = await createsWith({ productChatter: true });
    expect(ok).toEqual([true, true]);
    expect(contexts['product.product']).toBeDefined();
    expect(contexts['product.product']!.tracking_disable).toBeUndefined();
    expect(contexts['product.template']!.tracking_disable).toBeUndefined();
  });
});
