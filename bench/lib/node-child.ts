/**
 * One Tandem node of the nodes benchmark (bench/scenarios/nodes.ts), in its own process as `tandem serve`
 * would run: the engine, the worker pool with its heartbeat and LISTEN wake-up, the HTTP server for
 * webhooks; no schedule timers (the burst's webhooks are the only work). It counts every statement it
 * sends to the store (pg: each `Client.query`, BEGIN and COMMIT included; SQLite: each execution of a prepared
 * statement), by statement text, and its CPU from `start` to `stop`.
 *
 * IPC: parent → { op: 'start' } | { op: 'stop' }; child → { url } once listening, { report } after stop.
 */
import pg from 'pg';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { Config, type ConfigInput } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { startRuntime } from '../../src/engine/runtime.js';
import { startHttpServer } from '../../src/server/http-server.js';
import { PeakRss, round } from './measure.js';

export interface NodeReport {
  cpuMs: number;
  peakRssMb: number;
  /** Store statements sent between start and stop, in all and by statement (first 90 characters, numbers blanked). */
  statements: number;
  byStatement: Record<string, number>;
}

const counts = new Map<string, number>();
let counting = false;
const count = (text: unknown) => {
  if (!counting) return;
  const key = String(typeof text === 'object' && text !== null ? (text as { text?: string }).text : text)
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '$')
    .slice(0, 90);
  counts.set(key, (counts.get(key) ?? 0) + 1);
};
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  count(args[0]);
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pgQuery;
// SQLite: the store caches prepared statements, so count the executions (Kysely runs all() or iterate())
const probe = new Database(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
for (const method of ['all', 'get', 'run', 'iterate']) {
  const original = statementProto[method]!;
  statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
    count(this.source);
    return original.apply(this, args);
  };
}

// the benchmark process gone (crashed, killed): this node goes too, with its store connections
process.on('disconnect', () => process.exit(1));

const [configJson = '{}', storeUrl = ''] = process.argv.slice(2);
const config = Config.parse(JSON.parse(configJson) as ConfigInput);
const engine = await createEngine({ config, storeUrl, log: pino({ level: 'warn' }) });
const runtime = startRuntime(engine, { schedules: false });
const http = await startHttpServer(engine, { host: '127.0.0.1', port: 0 });
let cpu = process.cpuUsage();
let rss: PeakRss | undefined;
process.on('message', (m: { op: 'start' | 'stop' }) => {
  if (m.op === 'start') {
    counts.clear();
    counting = true;
    cpu = process.cpuUsage();
    rss = new PeakRss();
    return;
  }
  void (async () => {
    const used = process.cpuUsage(cpu);
    counting = false;
    const peakRssMb = rss?.stop() ?? 0;
    await runtime.stop({ timeoutMs: 10_000 });
    await http.close();
    await engine.close();
    const byStatement = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
    const report: NodeReport = { cpuMs: round((used.user + used.system) / 1000), peakRssMb, statements: [...counts.values()].reduce((a, b) => a + b, 0), byStatement };
    process.send!({ report }, () => process.exit(0));
  })();
});
process.send!({ url: `${http.url}/webhooks/shop` });
