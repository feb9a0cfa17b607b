/**
 * Queue benchmarks across processes (bench/queue.ts): claim+complete drained by several processes at
 * once, and the idle latency from an enqueue in one process to the job starting in another.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Queue } from '../../src/queue/index.js';
import type { Store } from '../../src/store/index.js';
import { startCpuSplit } from './queue-cpu.js';
import type { CpuSplit } from './queue-cpu.js';

const CHILD = fileURLToPath(new URL('./queue-child.ts', import.meta.url));

interface Child {
  proc: ChildProcess;
  next(prefix: string): Promise<string>;
  lines: string[];
}

function spawnChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const i = waiters.findIndex((w) => line.startsWith(w.prefix));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(line);
    else lines.push(line);
  });
  const waiting: { prefix: string; reject: (err: Error) => void }[] = [];
  proc.once('exit', (code) => {
    for (const w of waiting) w.reject(new Error(`bench child exited (${code}) before "${w.prefix}"`));
  });
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const j = lines.findIndex((l) => l.startsWith(prefix));
      if (j >= 0) return resolve(lines.splice(j, 1)[0]!);
      const entry = { prefix, reject };
      waiting.push(entry);
      waiters.push({
        prefix,
        resolve: (line) => {
          waiting.splice(waiting.indexOf(entry), 1);
          resolve(line);
        },
      });
    });
  return { proc, next, lines };
}

const payload = (i: number) => ({ entity: 'product', ids: [String(i)], source: 'shop' });

export interface DrainResult {
  count: number;
  ms: number;
  cpu: CpuSplit;
  /** Summed over the children: ms waiting for claims and for completions. */
  claimMs: number;
  completeMs: number;
}

/**
 * `jobs` jobs, one in ten keyed over `keys` keys (so each key has jobs / 10 / keys jobs that must run one
 * after the other), drained by `procs` processes claiming `batch` at a time; wall time from "go" to the
 * last "done".
 */
export async function drainAcrossProcesses(url: string, store: Store, opts: { procs: number; jobs: number; batch: number; keys: number }): Promise<DrainResult> {
  const queue = new Queue(store);
  await store.db.deleteFrom('jobs').execute();
  const key = (i: number) => (i % 10 === 0 ? { key: `k${(i / 10) % opts.keys}` } : {});
  for (let i = 0; i < opts.jobs; i += 1000) {
    await queue.enqueueMany(Array.from({ length: Math.min(1000, opts.jobs - i) }, (_, j) => ({ kind: 'bench', payload: payload(i + j), ...key(i + j) })));
  }
  if (store.dialect === 'postgres') await sql`vacuum analyze jobs`.execute(store.db);
  const appName = `tandem-bench-${process.pid}`;
  const childUrl = store.dialect === 'postgres' ? withParam(url, 'application_name', appName) : url;
  const children = Array.from({ length: opts.procs }, () => spawnChild(['drain', childUrl, String(opts.batch)]));
  await Promise.all(children.map((c) => c.next('ready')));
  const finish = await startCpuSplit(store, appName);
  const start = performance.now();
  for (const c of children) c.proc.stdin!.write('go\n');
  const done = (await Promise.all(children.map((c) => c.next('done')))).map((line) => line.split(' ').map(Number));
  const ms = performance.now() - start;
  const sum = (field: number) => done.reduce((total, f) => total + (f[field] ?? 0), 0);
  const cpu = finish(sum(3));
  const count = sum(1);
  const c = await queue.counts();
  if (count !== opts.jobs || c.done !== opts.jobs) throw new Error(`benchmark bug: ${count} completed, counts ${JSON.stringify(c)}, of ${opts.jobs}`);
  await store.db.deleteFrom('jobs').execute();
  // without it the next claims walk the dead index entries of the drained jobs (~200 ms each after 40k)
  if (store.dialect === 'postgres') await sql`vacuum analyze jobs`.execute(store.db);
  return { count, ms, cpu, claimMs: sum(4), completeMs: sum(5) };
}

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

/** Percentiles of the idle latency and of its parts (ms). */
export interface LatencyResult {
  p50: number;
  p99: number;
  max: number;
  /** p50 / p99 of each part: enqueue statement and commit; commit → notification in the worker's process;
   * notification → claim sent; the claim statement; claim returned → handler started. */
  parts: Record<'enqueue' | 'notify' | 'wake' | 'claim' | 'start', { p50: number; p99: number }>;
}

const percentile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

/** Enqueues one job at a time from this process, idle in between; a worker in another process starts it. */
export async function idleLatency(url: string, store: Store, opts: { samples: number; pollMs: number; gapMs: number }): Promise<LatencyResult> {
  const queue = new Queue(store);
  await store.db.deleteFrom('jobs').execute();
  const child = spawnChild(['latency', url, String(opts.pollMs)]);
  await child.next('ready');
  const samples: number[] = [];
  const parts: Record<keyof LatencyResult['parts'], number[]> = { enqueue: [], notify: [], wake: [], claim: [], start: [] };
  const wall = () => performance.timeOrigin + performance.now();
  for (let i = 0; i < opts.samples; i++) {
    await new Promise((r) => setTimeout(r, opts.gapMs + randomInt(opts.gapMs + 1)));
    const t0 = wall();
    await queue.enqueue({ kind: 'latency', payload: { t: t0 } });
    const committed = wall();
    const [, total, notified, claimStart, claimEnd, started] = (await child.next('started')).split(' ').map(Number) as number[];
    samples.push(total as number);
    parts.enqueue.push(committed - t0);
    // a notification older than this enqueue belongs to an earlier sample: this one was found by polling
    if ((notified as number) >= t0) {
      parts.notify.push((notified as number) - committed);
      parts.wake.push((claimStart as number) - (notified as number));
    }
    parts.claim.push((claimEnd as number) - (claimStart as number));
    parts.start.push((started as number) - (claimEnd as number));
  }
  child.proc.stdin!.write('stop\n');
  await new Promise((r) => child.proc.once('exit', r));
  samples.sort((a, b) => a - b);
  await store.db.deleteFrom('jobs').execute();
  const split = Object.fromEntries(
    Object.entries(parts).map(([name, xs]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return [name, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
    }),
  ) as LatencyResult['parts'];
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), max: samples[samples.length - 1] ?? 0, parts: split };
}
