/** Builds an engine from a loaded config: store (migrated), queue, connectors, metrics. */
import type { Config } from '../config/schema.js';
import type { ErpConnector, ShopConnector } from '../connectors/contract.js';
import { createSystems } from '../connectors/registry.js';
import { openStore, poolSize, type Store } from '../store/index.js';
import { Queue } from '../queue/index.js';
import type { Logger } from '../shared/log.js';
import type { Engine } from './context.js';
import { createMetrics } from './metrics.js';
import { resolveStoredSecrets } from './stored-secrets.js';

export interface EngineOptions {
  config: Config;
  storeUrl: string;
  masterKey?: string;
  log: Logger;
  /** Injected connectors (demo, tests); otherwise built from config.systems. */
  systems?: { shop: ShopConnector; erp: ErpConnector; names: { shop: string; erp: string } };
  store?: Store;
  fetch?: typeof fetch;
  /** Told about every HTTP request the connectors send (benchmarks). */
  observe?: (method: string, url: string) => void;
  now?: () => Date;
  /** Told the values of `${secret:NAME}` credentials once they are decrypted, so logs can redact them. */
  onSecrets?: (values: string[]) => void;
}

export interface RunningEngine extends Engine {
  close(): Promise<void>;
}

export async function createEngine(opts: EngineOptions): Promise<RunningEngine> {
  // PostgreSQL: a fixed pool whatever the workers (they wait on remote calls, not statements): store/pool-budget.ts
  const poolMax = poolSize(opts.config.store.pool);
  const store = opts.store ?? (await openStore(opts.storeUrl, { log: opts.log, poolMax, preparedStatements: opts.config.store.preparedStatements, ...(opts.masterKey && { masterKey: opts.masterKey }) }));
  let config = opts.config;
  try {
    const resolved = await resolveStoredSecrets(opts.config, store);
    config = resolved.config;
    if (resolved.secrets.length) opts.onSecrets?.(resolved.secrets);
  } catch (e) {
    if (!opts.store) await store.close();
    throw e;
  }
  const systems = opts.systems ?? createSystems(config.systems, { log: opts.log, stockLocations: config.stock.locations.map((l) => l.erp), ...(opts.fetch && { fetch: opts.fetch }), ...(opts.observe && { observe: opts.observe }) });
  const queue = new Queue(store);
  const engine: RunningEngine = {
    config,
    store,
    queue,
    shop: systems.shop,
    erp: systems.erp,
    names: systems.names,
    log: opts.log,
    metrics: createMetrics(),
    now: opts.now ?? (() => new Date()),
    async close() {
      await Promise.allSettled([systems.shop.close(), systems.erp.close()]);
      if (!opts.store) await store.close();
    },
  };
  return engine;
}
