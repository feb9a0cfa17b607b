/**
 * Queue throughput: enqueue and claim+complete, one at a time and in batches, on SQLite (file, WAL,
 * synchronous=NORMAL) and PostgreSQL; plus plain better-sqlite3 running the same statements, prepared once,
 * as the yardstick. One job in ten has a key (k0, k10, k20, k30, k40), so claims do the per-key checks.
 *
 * Across processes (bench/lib/queue-procs.ts): 4 processes draining claim 100 + completeMany (1 job in 10
 * keyed, over 50 keys and over 5), with the CPU split between the node processes and their PostgreSQL
 * backends, and the idle latency from an enqueue in one process to the job's start in another
 * (PostgreSQL: LISTEN/NOTIFY; SQLite: polling every 250 ms, the serve default).
 * TANDEM_BENCH_ONLY=procs runs only these (=latency: only the idle latency, with where it goes;
 * TANDEM_BENCH_REPEAT=5 for five rows of it);
 * TANDEM_BENCH_STORES=postgres (or sqlite) only that store.
 *
 *   npm run bench:queue            (TANDEM_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { Queue } from '../src/queue/index.js';
import { claimQuery } from '../src/queue/claim-jobs.js';
import type { Job } from '../src/queue/index.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/index.js';
import { drainAcrossProcesses, idleLatency } from './lib/queue-procs.js';
import type { DrainResult, LatencyResult } from './lib/queue-procs.js';

const PG_URL = process.env.TANDEM_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const scale = Number(process.env.TANDEM_BENCH_SCALE ?? '1');
const n = (count: number) => Math.max(10, Math.round(count * scale));

interface Row {
  store: string;
  operation: string;
  count: number;
  ms: number;
}
const rows: Row[] = [];

async function measure(store: string, operation: string, count: number, fn: () => Promise<void> | void): Promise<void> {
  const start = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  rows.push({ store, operation, count, ms });
  process.stderr.write(`  ${store} ${operation}: ${Math.round((count / ms) * 1000)}/s\n`);
}

const payload = (i: number) => ({ entity: 'product', ids: [String(i)], source: 'shop' });

async function benchQueue(name: string, store: Store): Promise<void> {
  const queue = new Queue(store);
  // PostgreSQL: vacuum + analyze after each bulk change, as autovacuum would in a steady state; without it
  // the planner works from the statistics of an empty table and the claims scan dead rows.
  const settle = async () => {
    if (store.dialect === 'postgres') await sql`vacuum analyze jobs`.execute(store.db);
  };
  const reset = async () => {
    await store.db.deleteFrom('jobs').execute();
    await settle();
  };

  const single = n(2_000);
  await measure(name, 'enqueue, one at a time (autocommit)', single, async () => {
    for (let i = 0; i < single; i++) await queue.enqueue({ kind: 'bench', payload: payload(i) });
  });
  await reset();

  const inTx = n(20_000);
  await measure(name, 'enqueue, one at a time in 1 transaction', inTx, async () => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < inTx; i++) await queue.enqueue({ kind: 'bench', payload: payload(i) }, tx);
    });
  });
  await reset();

  const batched = n(100_000);
  await measure(name, 'enqueueMany, batches of 1000', batched, async () => {
    for (let i = 0; i < batched; i += 1000) {
      await queue.enqueueMany(Array.from({ length: Math.min(1000, batched - i) }, (_, j) => ({ kind: 'bench', payload: payload(i + j) })));
    }
  });
  await reset();

  const claimSingle = n(3_000);
  await queue.enqueueMany(Array.from({ length: claimSingle }, (_, i) => ({ kind: 'bench', payload: payload(i), ...(i % 10 === 0 && { key: `k${i % 50}` }) })));
  await settle();
  await measure(name, 'claim+complete, one at a time', claimSingle, async () => {
    for (;;) {
      const [job] = await queue.claim('bench', { limit: 1, leaseMs: 60_000 });
      if (!job) break;
      await queue.complete(job);
    }
  });
  await assertAllDone(queue, claimSingle);
  await reset();

  const concurrent = n(6_000);
  await queue.enqueueMany(Array.from({ length: concurrent }, (_, i) => ({ kind: 'bench', payload: payload(i), ...(i % 10 === 0 && { key: `k${i % 50}` }) })));
  await settle();
  await measure(name, 'claim+complete, 8 loops at once', concurrent, async () => {
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (;;) {
          const [job] = await queue.claim(`bench-${w}`, { limit: 1, leaseMs: 60_000 });
          if (!job) break;
          await queue.complete(job);
        }
      }),
    );
  });
  await assertAllDone(queue, concurrent);
  await reset();

  const claimBatch = n(30_000);
  await queue.enqueueMany(Array.from({ length: claimBatch }, (_, i) => ({ kind: 'bench', payload: payload(i), ...(i % 10 === 0 && { key: `k${i % 50}` }) })));
  await settle();
  await measure(name, 'claim 100 + complete in 1 transaction', claimBatch, async () => {
    for (;;) {
      const jobs: Job[] = await queue.claim('bench', { limit: 100, leaseMs: 60_000 });
      if (jobs.length === 0) break;
      await store.transaction(async (tx) => {
        for (const job of jobs) await queue.complete(job, tx);
      });
    }
  });
  await assertAllDone(queue, claimBatch);
  await reset();
}

const PROCS = 4;

async function benchProcesses(name: string, url: string, store: Store): Promise<void> {
  const drainJobs = n(40_000);
  if (only === 'latency') return latencyRow(name, url, store);
  // 50 keys: 80 jobs per key in a row. 5 keys (the workload before 2026-12-03, which the comment called
  // k0…k49): 800 jobs per key, each waiting for the one before it, so the tail runs one key job at a time.
  for (const keys of [50, 5]) {
    const d = await drainAcrossProcesses(url, store, { procs: PROCS, jobs: drainJobs, batch: 100, keys });
    const operation = `claim 100 + completeMany, ${PROCS} processes, ${keys} keys`;
    rows.push({ store: name, operation, count: d.count, ms: d.ms });
    cpuRows.push({ store: name, operation, ...d, load: loadavg()[0] ?? 0 });
    process.stderr.write(`  ${name} ${operation}: ${Math.round((d.count / d.ms) * 1000)}/s\n`);
  }
  await latencyRow(name, url, store);
}

async function latencyRow(name: string, url: string, store: Store): Promise<void> {
  const samples = n(200);
  // TANDEM_BENCH_REPEAT=5: five rows of `samples` each (the aim is p99 < 20 ms in every one)
  for (let run = 0; run < Number(process.env.TANDEM_BENCH_REPEAT ?? '1'); run++) {
    const load = loadavg()[0] ?? 0;
    const lat = await idleLatency(url, store, { samples, pollMs: 250, gapMs: 20 });
    latencies.push({ store: name, ...lat, samples, load: Math.max(load, loadavg()[0] ?? 0) });
    process.stderr.write(`  ${name} idle enqueue→start p50 ${lat.p50.toFixed(1)} ms p99 ${lat.p99.toFixed(1)} ms (${new Date().toISOString().slice(11, 19)} UTC, load ${load.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)})\n`);
  }
}

const cpuRows: ({ store: string; operation: string; load: number } & DrainResult)[] = [];
const latencies: ({ store: string; samples: number; load: number } & LatencyResult)[] = [];
const only = process.env.TANDEM_BENCH_ONLY;

async function assertAllDone(queue: Queue, count: number): Promise<void> {
  const c = await queue.counts();
  if (c.done !== count || c.queued !== 0) throw new Error(`benchmark bug: ${JSON.stringify(c)} after ${count} jobs`);
}

/** The same schema and statements through better-sqlite3 directly, prepared once. */
function benchPlainSqlite(file: string): Promise<void> {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    `insert into jobs (kind, key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at) values ('bench', ?, ?, 0, ?, 0, 8, 'queued', ?, ?)`,
  );
  const claim = db.prepare(claimQuery('sqlite', 'bench', 0, { limit: 1, leaseMs: 0 }).sql); // the queue's own claim statement
  const complete = db.prepare(`update jobs set state = 'done', locked_by = null, locked_until = null, updated_at = ? where id = ? and state = 'running' and locked_by = 'bench' and attempts = ?`);
  const count = n(100_000);
  return (async () => {
    await measure('sqlite (plain better-sqlite3)', 'enqueue, one at a time in 1 transaction', count, () => {
      const now = Date.now();
      db.transaction(() => {
        for (let i = 0; i < count; i++) insert.run(null, JSON.stringify(payload(i)), now, now, now);
      })();
    });
    db.exec('delete from jobs');
    const claims = n(5_000);
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < claims; i++) insert.run(i % 10 === 0 ? `k${i % 50}` : null, JSON.stringify(payload(i)), now, now, now);
    })();
    await measure('sqlite (plain better-sqlite3)', 'claim+complete, one at a time', claims, () => {
      for (;;) {
        const t = Date.now();
        const job = claim.get('bench', t + 60_000, t, t, t, t, 1) as { id: number; attempts: number } | undefined;
        if (!job) break;
        complete.run(t, job.id, job.attempts);
      }
    });
    db.exec('delete from jobs');
    db.close();
  })();
}

const stores = (process.env.TANDEM_BENCH_STORES ?? 'sqlite,postgres').split(',');

async function main(): Promise<void> {
  if (stores.includes('sqlite')) await sqliteRows();
  if (stores.includes('postgres')) await postgresRows();
  print();
}

async function sqliteRows(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  try {
    const file = join(dir, 'bench.db');
    const sqliteStore = await openStore(`sqlite:${file}`);
    process.stderr.write('sqlite (Kysely)\n');
    if (only !== 'procs' && only !== 'latency') await benchQueue('sqlite (Kysely)', sqliteStore);
    await benchProcesses('sqlite (Kysely)', `sqlite:${file}`, sqliteStore);
    await sqliteStore.close();
    process.stderr.write('sqlite (plain)\n');
    if (only !== 'procs' && only !== 'latency') await benchPlainSqlite(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRows(): Promise<void> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    process.stderr.write(`PostgreSQL skipped: ${PG_URL} does not answer (${(err as Error).message})\n`);
    return;
  }
  try {
    await admin.query(`create schema ${schema}`);
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const pgStore = await openStore(url.toString());
    process.stderr.write('postgres\n');
    if (only !== 'procs' && only !== 'latency') await benchQueue('postgres (Kysely)', pgStore);
    await benchProcesses('postgres (Kysely)', url.toString(), pgStore);
    await pgStore.close();
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

function print(): void {
  const table = rows.map((r) => ({ store: r.store, operation: r.operation, jobs: String(r.count), ms: r.ms.toFixed(0), 'jobs/s': Math.round((r.count / r.ms) * 1000).toLocaleString('en-US') }));
  const cols = ['store', 'operation', 'jobs', 'ms', 'jobs/s'] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...table.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
  const line = (r: Record<(typeof cols)[number], string>) => `| ${cols.map((c) => (c === 'store' || c === 'operation' ? r[c].padEnd(width[c]) : r[c].padStart(width[c]))).join(' | ')} |`;
  console.log(line(Object.fromEntries(cols.map((c) => [c, c])) as Record<(typeof cols)[number], string>));
  console.log(`|${cols.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`);
  for (const r of table) console.log(line(r));
  console.log('\n| store | idle enqueue → start in another process | samples | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|');
  for (const l of latencies) console.log(`| ${l.store} | ${l.store.startsWith('postgres') ? 'LISTEN/NOTIFY' : 'polling 250 ms'} | ${l.samples} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} |`);
  console.log('\nwhere the idle latency goes, p50 / p99 ms (enqueue: statement + commit; notify: commit → notification in the worker process; wake: notification → claim sent; claim: the claim statement; start: claim → handler)');
  for (const l of latencies) {
    const part = (k: keyof LatencyResult['parts']) => `${l.parts[k].p50.toFixed(1)} / ${l.parts[k].p99.toFixed(1)}`;
    console.log(`| ${l.store} | enqueue ${part('enqueue')} | notify ${part('notify')} | wake ${part('wake')} | claim ${part('claim')} | start ${part('start')} | load ${l.load.toFixed(1)} |`);
  }
  console.log('\n| store | drain | wall ms | node CPU ms | PostgreSQL backends CPU ms | machine busy | in claims ms | in completions ms | load |\n|---|---|---|---|---|---|---|---|---|');
  for (const c of cpuRows) {
    const pgMs = c.store.startsWith('postgres') ? c.cpu.postgresMs.toFixed(0) : '—';
    console.log(`| ${c.store} | ${c.operation} | ${c.ms.toFixed(0)} | ${c.cpu.nodeMs.toFixed(0)} | ${pgMs} | ${(c.cpu.machineBusy * 100).toFixed(0)}% | ${c.claimMs.toFixed(0)} | ${c.completeMs.toFixed(0)} | ${c.load.toFixed(1)} |`);
  }
  console.log(`\nload average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${cpus().length} cores)`);
}

await main();
