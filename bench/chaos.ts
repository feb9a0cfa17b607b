/**
 * `npm run chaos -- --seed N [--orders 200] [--kills 2] [--store sqlite|postgres|both] [--outage-s 40]`: the seeded chaos
 * suite (bench/chaos/run-chaos.ts). Prints each run's report; exits 1 when a run did not converge.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './chaos/run-chaos.js';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, orders: { type: 'string', default: '200' }, kills: { type: 'string', default: '2' }, store: { type: 'string', default: 'both' }, 'outage-s': { type: 'string', default: '0' } },
});
const stores = values.store === 'both' ? (['sqlite', 'postgres'] as const) : ([values.store as 'sqlite' | 'postgres'] as const);
let failed = false;
for (const store of stores) {
  const report = await runChaos({ seed: Number(values.seed), orders: Number(values.orders), kills: Number(values.kills), store, outageMs: Number(values['outage-s']) * 1000, log: (l) => console.log(`[${store}] ${l}`) });
  console.log(JSON.stringify(report, null, 2));
  failed ||= !report.ok;
}
process.exit(failed ? 1 : 0);
