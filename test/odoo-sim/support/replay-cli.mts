/** Prints the replay diffs: npx tsx test/odoo-sim/support/replay-cli.mts 17|19 [file prefix] */
import { startOdooSimulator } from '../../../src/simulators/index.js';
import { loadFlows, replay, summarize } from './replay.js';
const version = Number(process.argv[2] ?? 17) as 17 | 19;
const only = process.argv[3];
let clock = Date.parse('2026-11-26T00:00:00Z');
const sim = await startOdooSimulator({ version, now: () => new Date(clock) });
const flows = loadFlows(version);
const out = await replay({ sim, version, setClock: (ms) => (clock = ms) }, flows);
for (const o of out) {
  if (!o.diffs.length) continue;
  if (only && !o.exchange.file.startsWith(only)) continue;
  console.log(`✗ ${o.exchange.file}#${o.exchange.seq} ${o.exchange.label}`);
  for (const d of o.diffs.slice(0, 6)) console.log(`    ${d}`);
}
for (const [f, s] of summarize(out)) console.log(`${f} ${s.matched}/${s.total}`);
await sim.close();
