/** The shared connector contract against the simulator, with Basic auth (https header) and OAuth 1.0a (plain http). */
import { describe, it, expect, afterAll } from 'vitest';
import { describeConnectorContract, describeShopOrderContract } from '../../contract/connector-contract.js';
import type { WooSimulator } from '../../../src/simulators/index.js';
import { connectorFor, simHarness } from './harness.js';
import { SyncError } from '../../../src/shared/errors.js';

const sims: WooSimulator[] = [];
afterAll(async () => {
  for (const s of sims) await s.close();
});

async function setup(auth: 'basic' | 'oauth1') {
  const { sim, harness } = await simHarness(auth);
  sims.push(sim);
  return harness;
}

describeConnectorContract('woocommerce 7.9 simulator, Basic auth', () => setup('basic'));
describeShopOrderContract('woocommerce 7.9 simulator, Basic auth', () => setup('basic'));
describeConnectorContract('woocommerce 7.9 simulator, OAuth 1.0a over http', () => setup('oauth1'));

describe('OAuth 1.0a over plain http', () => {
  it('signs every request (check + a read), and a wrong secret is refused with WooCommerce\'s own code', async () => {
    const { sim } = await simHarness('oauth1');
    sims.push(sim);
    const c = connectorFor(sim, 'oauth1');
    const report = await c.check();
    expect(report.ok, JSON.stringify(report.items)).toBe(true);
    sim.seedProducts(3, { prefix: 'OA' });
    const found = await c.findByNaturalKey('product', [{ type: 'sku', value: 'OA-1' }]);
    expect(found.get('sku:OA-1')).toHaveLength(1);
    const bad = connectorFor(sim, 'oauth1', { consumerSecret: 'cs_wrong' });
    await expect(bad.fetch('product', ['1'])).rejects.toSatisfy(
      (e: unknown) => e instanceof SyncError && e.kind === 'auth' && e.code === 'woocommerce_rest_authentication_error' && /signature/.test(e.message),
    );
  });
});
