/** Shared setup for the WooCommerce connector tests: a simulator and connectors pointed at it. */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createWooCommerceConnector } from '../../../src/connectors/woocommerce/index.js';
import type { WooCommerceConnector } from '../../../src/connectors/woocommerce/index.js';
import type { ContractHarness } from '../../contract/connector-contract.js';
import { startWooSimulator, type WooSimulator, type WooSimulatorOptions } from '../../../src/simulators/index.js';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const silentLog = pino({ level: 'silent' });

export function connectorFor(sim: WooSimulator, auth: 'basic' | 'oauth1', overrides: { consumerSecret?: string; consumerKey?: string } = {}): WooCommerceConnector {
  return createWooCommerceConnector(
    'shop',
    {
      type: 'woocommerce',
      url: sim.url,
      consumerKey: overrides.consumerKey ?? sim.consumerKey,
      consumerSecret: overrides.consumerSecret ?? sim.consumerSecret,
      webhookSecret: WEBHOOK_SECRET,
      auth,
    },
    { log: silentLog },
  );
}

export async function simHarness(auth: 'basic' | 'oauth1', opts: WooSimulatorOptions = {}): Promise<{ sim: WooSimulator; harness: ContractHarness }> {
  const sim = await startWooSimulator(opts);
  const prefix = `T${randomBytes(3).toString('hex').toUpperCase()}`;
  const harness: ContractHarness = {
    connector: connectorFor(sim, auth),
    badAuthConnector: () => connectorFor(sim, auth, { consumerSecret: 'cs_wrong' }),
    prefix,
    currency: 'EUR',
    placeOrder: async (spec) => String(await sim.placeOrder({ email: spec.email, lines: spec.lines, paid: spec.paid })),
  };
  return { sim, harness };
}
