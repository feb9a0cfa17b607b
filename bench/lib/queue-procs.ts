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

/** `jobs` jobs (one in ten keyed) drained by `procs` processes claiming `batch` at a time; wall time from "go" to the last "done". */
export async function drainAcrossProcesses(url: string, store: Store, opts: { procs: number; jobs: number; batch: number }): Promise<{ count: number; ms: number }> {
  const queue = new Queue(store);
  await store.db.deleteFrom('jobs').execute();
  for (let i = 0; i < opts.jobs; i += 1000) {
    await queue.enqueueMany(Array.from({ length: Math.min(1000, opts.jobs - i) }, (_, j) => ({ kind: 'bench', payload: payload(i + j), ...((i + j) % 10 === 0 && { key: `k${(i + j) % 50}` }) })));
  }
  if (store.dialect === 'postgres') await sql`vacuum analyze jobs`.execute(store.db);
  const children = Array.from({ length: opts.procs }, () => spawnChild(['drain', url, String(opts.batch)]));
  await Promise.all(children.map((c) => c.next('ready')));
  const start = performance.now();
  for (const c of children) c.proc.stdin!.write('go\n');
  const done = await Promise.all(children.map((c) => c.next('done')));
  const ms = performance.now() - start;
  const count = done.reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
  const c = await queue.counts();
  if (count !== opts.jobs || c.done !== opts.jobs) throw new Error(`benchmark bug: ${count} completed, counts ${JSON.stringify(c)}, of ${opts.jobs}`);
  await store.db.deleteFrom('jobs').execute();
  // without it the next claims walk the dead index entries of the drained jobs (~200 ms each after 40k)
  if (store.dialect === 'postgres') await sql`vacuum analyze jobs`.execute(store.db);
  return { count, ms };
}

/** Enqueues one job at a time from this process, idle in between; a worker in another process starts it. */
export async function idleLatency(url: string, store: Store, opts: { samples: number; pollMs: number; gapMs: number }): Promise<{ p50: number; p99: number; max: number }> {
  const queue = new Queue(store);
  await store.db.deleteFrom('jobs').execute();
  const child = spawnChild(['latency', url, String(opts.pollMs)]);
  await child.next('ready');
  const samples: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    await new Promise((r) => setTimeout(r, opts.gapMs + randomInt(opts.gapMs + 1)));
    await queue.enqueue({ kind: 'latency', payload: { t: performance.timeOrigin + performance.now() } });
    samples.push(Number((await child.next('started')).split(' ')[1]));
  }
  child.proc.stdin!.write('stop\n');
  await new Promise((r) => child.proc.once('exit', r));
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
  await store.db.deleteFrom('jobs').execute();
  return { p50: at(0.5), p99: at(0.99), max: samples[samples.length - 1]! };
}
