/** Shared setup for the REST shop tests: a simulator and connectors pointed at it. */
import { pino } from 'pino';
import { createRestShopConnector, type RestShopConnector } from '../../../src/connectors/rest-shop/index.js';
import { RestShopSettings, type RestShopSettingsInput } from '../../../src/connectors/rest-shop/settings.js';
import type { ConnectorDeps } from '../../../src/connectors/deps.js';
import { startRestShopSimulator, type RestShopSimulator, type RestShopSimulatorOptions } from '../../../src/simulators/index.js';

export const silentLog = pino({ level: 'silent' });

export function settingsFor(url: string, token: string, extra: Partial<RestShopSettingsInput> = {}): RestShopSettings {
  return RestShopSettings.parse({ type: 'rest-shop', url, auth: { type: 'bearer', token }, webhookSecret: 'whsec-test', timeout: '10s', ...extra });
}

export interface ShopFixture {
  sim: RestShopSimulator;
  connector(extra?: Partial<RestShopSettingsInput>, deps?: Partial<ConnectorDeps>): RestShopConnector;
}

export async function startShop(opts: RestShopSimulatorOptions = {}): Promise<ShopFixture> {
  const sim = await startRestShopSimulator(opts);
  return {
    sim,
    connector: (extra = {}, deps = {}) => createRestShopConnector('shop', settingsFor(sim.url, sim.token, extra), { log: silentLog, ...deps }),
  };
}

let counter = 0;
export function uniquePrefix(): string {
  counter += 1;
  return `T${Date.now().toString(36).toUpperCase()}${counter}`;
}
