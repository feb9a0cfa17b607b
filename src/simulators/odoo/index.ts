/**
 * Faithful, stateful Odoo simulator (JSON-RPC for 16–19, JSON-2 for 19), in-process, for tests, benchmarks
 * and `tandem demo`. Ground truth: ../shared/recordings/odoo17 and odoo19 (see test/odoo-sim).
 *
 *   const sim = await startOdooSimulator({ version: 17 });
 *   // POST `${sim.url}/jsonrpc` … execute_kw(sim.db, sim.admin.uid, sim.admin.apiKey, …)
 *   sim.env.create('product.product', { name: 'Tee', default_code: 'TEE-1' });
 *   await sim.close();
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { OdooSimOptions, OdooSimulator } from './types.js';
import { VERSION_TRAITS } from './versions.js';
import { Database } from './orm/registry.js';
import { ALL_MODELS } from './models/all.js';
import { seedDatabase } from './seed/seed-all.js';
import { DEFAULT_FAULTS } from './server/faults.js';
import { startHttp } from './server/http.js';
import type { SimState } from './server/state.js';
import { makeSimEnv } from './sim-env.js';
import { withoutDelivery } from './modules.js';

export type { OdooSimOptions, OdooFaults, OdooSimulator, SimEnv, OdooVersion, CallOptions, Vals, Domain, Context } from './types.js';
export { VERSION_TRAITS, type VersionTraits } from './versions.js';

export async function startOdooSimulator(opts: OdooSimOptions = {}): Promise<OdooSimulator> {
  const version = opts.version ?? 17;
  const traits = VERSION_TRAITS[version];
  if (!traits) throw new Error(`unsupported Odoo version ${String(version)} (16, 17, 18 or 19)`);
  const dbName = opts.db ?? 'odoo';
  const key = () => randomBytes(20).toString('hex');
  const admin = { login: 'admin', password: 'admin', apiKey: key() };
  const restricted = { login: 'sales.restricted@example.com', password: 'restricted', apiKey: key() };
  const db = new Database(traits, dbName, ALL_MODELS, opts.now);
  const delivery = opts.modules?.delivery !== false;
  if (!delivery) withoutDelivery(db);
  const { adminUid, restrictedUid } = seedDatabase(db, opts.currency ?? 'USD', { admin, restricted }, { delivery });
  const faults = { ...DEFAULT_FAULTS, ...(opts.faults ?? {}) };
  if (opts.latencyMs !== undefined) faults.latencyMs = opts.latencyMs;
  const state: SimState = {
    db,
    faults,
    stats: { calls: 0, byMethod: {} },
    cost: { totalMs: 0, last: null },
    costModel: opts.costModel ?? false,
    costScale: opts.costScale ?? 1,
  };
  const { server, url } = await startHttp(state, opts.port ?? 0);
  return {
    url,
    db: dbName,
    version,
    admin: { ...admin, uid: adminUid },
    restricted: { ...restricted, uid: restrictedUid },
    get faults() {
      return state.faults;
    },
    set faults(f) {
      state.faults = f;
    },
    stats: state.stats,
    cost: state.cost,
    resetStats() {
      state.stats.calls = 0;
      for (const k of Object.keys(state.stats.byMethod)) delete state.stats.byMethod[k];
      state.cost.totalMs = 0;
      state.cost.last = null;
    },
    env: makeSimEnv(db, adminUid),
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
