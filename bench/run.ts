/**
 * `npm run bench`: every benchmark scenario, each in its own process (so its peak RSS and CPU time are its
 * own; the simulators run in yet another process), then one table (figure, value, baseline, ratio) and
 * bench/results/<YYYY-MM-DD>.json with every measurement. Benchmarks measure; they never fail a build.
 *
 *   npm run bench                       full run (100,000 variants, 1M for engine overhead; ~40 min on 2 cores)
 *   npm run bench -- --quick            10,000 variants, 100 orders, no WooCommerce (< 3 min on 2 cores)
 *   npm run bench -- --only orders      groups: catalog, baseline, overhead, orders, stores, nodes; or part of a step id
 *   npm run bench -- --only =overhead:100000   exactly that step
 *   npm run bench -- --scale 0.05       Odoo cost model scale for Tandem's catalog runs (modelled times do not change)
 *   npm run bench -- --out file.json    results file (default bench/results/<date>.json; --out - for none)
 *   npm run bench -- --live             also the runs against the real systems of TANDEM_TEST_WOO_* / _ODOO_*
 *                                       (bench/lib/live.ts); `--only live --live` for those alone
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, round } from './lib/measure.js';
import { plan, type Options } from './lib/plan.js';
import { buildRows, markdownTable, type Outcome } from './lib/report.js';
import { fmtMs } from './lib/result.js';
import { runScenario } from './lib/run-scenario.js';
import { liveRows } from './lib/live.js';

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, only: [], scale: 0.05, baselineScale: 0.002, out: null, live: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--live') o.live = true;
    else if (a === '--only') o.only.push(...next().split(','));
    else if (a === '--scale') o.scale = Number(next());
    else if (a === '--baseline-scale') o.baselineScale = Number(next());
    else if (a === '--out') o.out = next();
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/run.ts)`);
  }
  if (!(o.scale > 0 && o.scale <= 1) || !(o.baselineScale > 0 && o.baselineScale <= 1)) throw new Error('--scale and --baseline-scale must be in (0, 1]');
  return o;
}

function machine() {
  const c = cpus();
  return { cpus: c.length, cpuModel: c[0]?.model ?? 'unknown', memoryGb: round(totalmem() / 1024 ** 3, 1), node: process.version, os: `${osType()} ${release()}` };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const steps = plan(opts);
  const startedAt = new Date();
  const loadStart = load();
  const m = machine();
  console.log(`Tandem benchmarks${opts.quick ? ' (--quick)' : ''}: ${steps.length} scenarios on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}; load ${loadStart.join(' ')}`);
  const t0 = performance.now();
  const outcomes: Outcome[] = [];
  for (const step of steps) {
    const started = performance.now();
    process.stdout.write(`▶ ${step.id} (load ${load().join(' ')}) … `);
    try {
      const run = await runScenario(step.scenario, step.params);
      outcomes.push({ step, run });
      console.log(`${fmtMs(performance.now() - started)}; load at start ${run.load.start.join(' ')}, at end ${run.load.end.join(' ')}`);
    } catch (e) {
      outcomes.push({ step, error: e instanceof Error ? e.message : String(e) });
      console.log(`FAILED after ${fmtMs(performance.now() - started)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const rows = buildRows(outcomes);
  if (opts.live) {
    process.stdout.write(`▶ live (load ${load().join(' ')}) … `);
    const started = performance.now();
    rows.push(...(await liveRows().catch((e: unknown) => [{ figure: 'live runs', value: 'FAILED', note: e instanceof Error ? e.message.slice(0, 300) : String(e) }])));
    console.log(fmtMs(performance.now() - started));
  }
  const totalMs = performance.now() - t0;
  const loadEnd = load();
  console.log(`\n${markdownTable(rows)}\n`);
  console.log(`${steps.length} scenarios in ${fmtMs(totalMs)}; load average (1/5/15 min) at start ${loadStart.join(' ')}, at end ${loadEnd.join(' ')}`);
  const file = opts.out ?? join(dirname(fileURLToPath(import.meta.url)), 'results', `${startedAt.toISOString().slice(0, 10)}${opts.quick ? '-quick' : ''}.json`);
  if (file !== '-') {
    if (!existsSync(dirname(file))) mkdirSync(dirname(file));
    writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), totalMs: Math.round(totalMs), machine: m, options: opts, load: { start: loadStart, end: loadEnd }, rows, scenarios: outcomes }, null, 2)}\n`);
    console.log(`results: ${file}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
