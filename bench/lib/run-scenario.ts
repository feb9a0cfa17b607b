/**
 * Runs ONE scenario in this (fresh) process and sends its metrics to the parent over IPC, so that each
 * scenario's peak RSS and CPU time are its own. Started by runScenario() below (bench/run.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from './measure.js';

export interface ScenarioRun<T> {
  name: string;
  params: unknown;
  load: { start: [number, number, number]; end: [number, number, number] };
  startedAt: string;
  wallMs: number;
  metrics: T;
}

type Runner = (params: never) => Promise<unknown>;

async function runners(): Promise<Record<string, Runner>> {
  const [{ runCatalog }, { runBaseline }, { runOrders }, { runOrdersBaseline }, { runNodes }] = await Promise.all([
    import('../scenarios/catalog.js'),
    import('../scenarios/baseline.js'),
    import('../scenarios/orders.js'),
    import('../scenarios/orders-baseline.js'),
    import('../scenarios/nodes.js'),
  ]);
  return { catalog: runCatalog as Runner, baseline: runBaseline as Runner, orders: runOrders as Runner, 'orders-baseline': runOrdersBaseline as Runner, nodes: runNodes as Runner };
}

const SELF = fileURLToPath(import.meta.url);

/** Forks this file for `name` and resolves with its metrics (rejects with its error). */
export function runScenario<T>(name: string, params: unknown): Promise<ScenarioRun<T>> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, [name, JSON.stringify(params)], { execArgv: ['--import', 'tsx', '--max-old-space-size=8192', ...(process.env.TANDEM_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.TANDEM_BENCH_PROF] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let done = false;
    child.on('message', (m: { ok: true; run: ScenarioRun<T> } | { ok: false; error: string }) => {
      done = true;
      if (m.ok) resolve(m.run);
      else reject(new Error(`${name}: ${m.error}`));
    });
    child.on('exit', (code) => {
      if (!done) reject(new Error(`${name}: scenario process exited with code ${String(code)} before reporting`));
    });
  });
}

if (process.argv[1] === SELF && process.send) {
  const [name = '', json = '{}'] = process.argv.slice(2);
  const start = load();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  try {
    const run = (await runners())[name];
    if (!run) throw new Error(`no scenario "${name}"`);
    const metrics = await run(JSON.parse(json) as never);
    const msg = { ok: true, run: { name, params: JSON.parse(json) as unknown, load: { start, end: load() }, startedAt, wallMs: performance.now() - t0, metrics } };
    process.send(msg, () => process.exit(0));
  } catch (e) {
    process.send({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () => process.exit(1));
  }
}
