/**
 * `npm run chaos -- --seed N [--orders 200] [--kills 2] [--store sqlite|postgres|both] [--outage-s 40]
 *   [--nodes 3] [--kill even|random] [--pool 20]`: the seeded chaos suite (bench/chaos/run-chaos.ts). `--nodes`: how many
 * `tandem serve` processes share the store (default 1 on SQLite, 2 on PostgreSQL); `--kill random`: the kills
 * land after seeded-random orders on seeded-random nodes, each node down for a seeded-random 0.5–4 s (default
 * even: evenly spaced, node 0, 1, …, restarted at once); `--pool`: each node's PostgreSQL pool (workers
 * pool − 4; default the product's 36 / 32). Prints each run's report; exits 1 when a run failed.
 *
 *   npm run chaos -- --store postgres --nodes 3 --kill random --kills 4 --seed 7
 */
import { parseArgs } from 'node:util';
import { runChaos } from './chaos/run-chaos.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    orders: { type: 'string', default: '200' },
    kills: { type: 'string', default: '2' },
    store: { type: 'string', default: 'both' },
    'outage-s': { type: 'string', default: '0' },
    nodes: { type: 'string' },
    kill: { type: 'string', default: 'even' },
    pool: { type: 'string' },
  },
});
if (values.kill !== 'even' && values.kill !== 'random') throw new Error(`--kill must be even or random, not ${values.kill}`);
const stores = values.store === 'both' ? (['sqlite', 'postgres'] as const) : ([values.store as 'sqlite' | 'postgres'] as const);
let failed = false;
for (const store of stores) {
  const report = await runChaos({
    seed: Number(values.seed),
    orders: Number(values.orders),
    kills: Number(values.kills),
    store,
    outageMs: Number(values['outage-s']) * 1000,
    ...(values.nodes !== undefined && { nodes: Number(values.nodes) }),
    killMode: values.kill,
    ...(values.pool !== undefined && { pool: Number(values.pool) }),
    log: (l) => console.log(`[${store}] ${l}`),
  });
  console.log(JSON.stringify(report, null, 2));
  failed ||= !report.ok;
}
process.exit(failed ? 1 : 0);
