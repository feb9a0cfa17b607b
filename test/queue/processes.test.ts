/**
 * Real worker processes: kill -9 in the middle of a job (inside the transaction that writes its effect)
 * and show it is reclaimed and its effect happens exactly once; two processes on one SQLite file never
 * run the same job. Runs on PostgreSQL too.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker } from '../../src/queue/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';
import type { TestStoreUrl } from '../helpers/db.js';
import { sleep, waitFor } from './wait.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function startWorker(url: string, mode: 'block' | 'run' | 'node' | 'batched', leaseMs: number, concurrency: number): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, url, mode, String(leaseMs), String(concurrency)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => lines.push(line));
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null && stderr) console.error(`worker process ${proc.pid} failed:\n${stderr}`);
      resolve(code);
    }),
  );
  return { proc, lines, exited };
}

const children: Child[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await c.exited;
  }
});

describe.each(testStoreKinds())('worker processes on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;
  let queue: Queue;
  let firstJobId = '';

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url);
    queue = new Queue(store);
    await sql`create table effects (job_id text primary key, worker text not null)`.execute(store.db);
    await sql`create table executions (job_id text not null, worker text not null)`.execute(store.db);
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });

  it('reclaims the job of a worker killed with SIGKILL mid-transaction, and its effect happens once', async () => {
    const id = await queue.enqueue({ kind: 'effect', payload: { n: 1 } });
    firstJobId = id;
    const first = startWorker(t.url, 'block', 400, 1);
    children.push(first);
    await waitFor(() => first.lines.includes(`in-tx ${id}`), 'the first worker to be inside the job transaction');
    const claimed = await queue.get(id);
    expect(claimed).toMatchObject({ state: 'running', attempts: 1 });

    first.proc.kill('SIGKILL');
    await first.exited;

    const worker = new Worker(
      queue,
      {
        effect: async (job, ctx) => {
          await sql`insert into executions (job_id, worker) values (${job.id}, ${'second'})`.execute(store.db);
          await store.transaction(async (tx) => {
            await sql`insert into effects (job_id, worker) values (${job.id}, ${'second'})`.execute(tx);
            if (!(await ctx.complete(tx))) throw new SyncError('conflict', 'claim lost');
          });
        },
      },
      { concurrency: 1, leaseMs: 200, pollIntervalMs: 20 },
    );
    worker.start();
    try {
      const done = await waitFor(async () => {
        const job = await queue.get(id);
        return job?.state === 'done' ? job : undefined;
      }, 'the job to be reclaimed and completed');
      expect(done.attempts).toBe(2);
    } finally {
      await worker.stop();
    }
    const effects = await sql<{ job_id: string; worker: string }>`select job_id, worker from effects where job_id = ${id}`.execute(store.db);
    expect(effects.rows).toEqual([{ job_id: id, worker: 'second' }]);
    const executions = await sql<{ worker: string }>`select worker from executions where job_id = ${id} order by worker`.execute(store.db);
    expect(executions.rows).toHaveLength(2); // started twice (killed once), effect once
  });

  it('a worker killed between the end of a job and its batched completion: the job runs once more, then is done', async () => {
    const id = await queue.enqueue({ kind: 'plain', payload: { n: 1 } });
    const first = startWorker(t.url, 'batched', 400, 1);
    children.push(first);
    await waitFor(() => first.lines.includes(`finished ${id}`), 'the first worker to finish the job');
    await sleep(100);
    expect(await queue.get(id)).toMatchObject({ state: 'running', attempts: 1 }); // its completion waits in the batch
    first.proc.kill('SIGKILL');
    await first.exited;
    const second = new Worker(
      queue,
      { plain: async (job) => void (await sql`insert into executions (job_id, worker) values (${job.id}, ${'second'})`.execute(store.db)) },
      { concurrency: 1, leaseMs: 5_000, pollIntervalMs: 20, completeBatch: { maxWaitMs: 5 } },
    );
    second.start();
    await waitFor(async () => (await queue.get(id))?.state === 'done', 'the job to be re-run after its lease expired');
    await second.stop();
    expect(await queue.get(id)).toMatchObject({ state: 'done', attempts: 2 });
    const runs = await sql<{ worker: string }>`select worker from executions where job_id = ${id}`.execute(store.db);
    expect(runs.rows.map((r) => r.worker === 'second')).toEqual([false, true]); // once by the killed worker, once more
    await queue.discard(id); // the next test counts done jobs and executions
    await sql`delete from executions where job_id = ${id}`.execute(store.db);
  });

  it('two worker processes on one store never run the same job', async () => {
    await sql`delete from executions`.execute(store.db);
    const a = startWorker(t.url, 'run', 5_000, 4);
    const b = startWorker(t.url, 'run', 5_000, 4);
    children.push(a, b);
    await waitFor(() => a.lines.some((l) => l.startsWith('ready')) && b.lines.some((l) => l.startsWith('ready')), 'both workers to poll');

    const total = 1500;
    const ids = await queue.enqueueMany(Array.from({ length: total }, (_, i) => ({ kind: 'effect', payload: { i } })));
    await waitFor(async () => (await queue.counts()).done >= total + 1, 'every job to be done', 60_000, 50);

    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const perJob = await sql<{ job_id: string; n: number }>`select job_id, count(*) as n from executions group by job_id having count(*) > 1`.execute(store.db);
    expect(perJob.rows).toEqual([]);
    const executed = await sql<{ n: number }>`select count(*) as n from executions`.execute(store.db);
    expect(Number(executed.rows[0]?.n)).toBe(total);
    const effects = await sql<{ job_id: string }>`select job_id from effects`.execute(store.db);
    expect(new Set(effects.rows.map((r) => r.job_id))).toEqual(new Set([...ids, firstJobId]));
    const byWorker = await sql<{ worker: string; n: number }>`select worker, count(*) as n from executions group by worker`.execute(store.db);
    expect(byWorker.rows).toHaveLength(2); // both processes took part
    expect((await queue.counts()).done).toBe(total + 1);
  });

  it.runIf(kind === 'postgres')('3 nodes, one killed with -9 during a burst: its jobs are re-run by the others within 30 s, every effect exactly once', async () => {
    await sql`delete from executions`.execute(store.db);
    await sql`delete from effects`.execute(store.db);
    await store.db.deleteFrom('jobs').execute();
    // a lease far longer than the test: only the node heartbeat (dead after 15 s) can free the killed node's jobs
    const nodes = [0, 1, 2].map(() => startWorker(t.url, 'node', 600_000, 4));
    children.push(...nodes);
    await waitFor(() => nodes.every((c) => c.lines.some((l) => l.startsWith('ready'))), 'three nodes');
    const victimId = nodes[0]!.lines.find((l) => l.startsWith('ready'))!.slice('ready '.length);
    const total = 600;
    const ids = await queue.enqueueMany(Array.from({ length: total }, (_, i) => ({ kind: 'effect', payload: { i }, ...(i % 5 === 0 && { key: `k${i % 7}` }) })));
    await waitFor(async () => (await queue.list({ state: 'running', limit: 100 })).some((j) => j.lockedBy === victimId), 'the victim to run jobs', 30_000, 5);
    nodes[0]!.proc.kill('SIGKILL');
    const killedAt = Date.now();
    await nodes[0]!.exited;
    const stranded = (await queue.list({ state: 'running', limit: 100 })).filter((j) => j.lockedBy === victimId).map((j) => j.id);
    expect(stranded.length).toBeGreaterThan(0);
    await waitFor(async () => (await queue.counts()).done === total, 'every job done after the kill', 60_000, 100);
    const recoveryMs = Date.now() - killedAt;
    expect(recoveryMs).toBeLessThan(30_000);
    for (const id of stranded) expect((await queue.get(id))?.attempts).toBe(2);
    const effects = await sql<{ job_id: string }>`select job_id from effects`.execute(store.db);
    expect(effects.rows.map((r) => r.job_id).sort()).toEqual([...ids].sort());
    expect((await store.nodes.list()).map((n) => n.id)).not.toContain(victimId);
    console.log(`3-node kill -9: ${stranded.length} stranded jobs, all ${total} done ${recoveryMs} ms after the kill`);
  }, 90_000);
});
