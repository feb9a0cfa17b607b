/**
 * A child process of bench/queue.ts (one "node"):
 *   drain <url> <batch>    waits for "go" on stdin, then claims `batch` jobs and completes them with
 *                          completeMany until none is left; prints "done <count> <ms> <cpu ms>
 *                          <ms in claims> <ms in completions>".
 *   latency <url> <poll>   runs a Worker (PostgreSQL: woken by the job listener; SQLite: polling every
 *                          <poll> ms) whose handler prints "started <ms since the job's payload.t>
 *                          <notification> <claim start> <claim end> <handler start>" (the last four as
 *                          wall-clock ms, for the parent's split of the latency; 0 when not seen).
 */
import { Queue, Worker } from '../../src/queue/index.js';
import { openStore } from '../../src/store/index.js';

const [mode, url, arg] = process.argv.slice(2) as [string, string, string];
const store = await openStore(url, { migrate: false, poolMax: 2 });
const queue = new Queue(store);

if (mode === 'drain') {
  const batch = Number(arg);
  const workerId = `drain-${process.pid}`;
  // the pool's connection exists before "go" (the parent finds its backend by application_name)
  await queue.counts();
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let count = 0;
  let claimMs = 0;
  let completeMs = 0;
  for (;;) {
    const t0 = performance.now();
    const jobs = await queue.claim(workerId, { limit: batch, leaseMs: 60_000 });
    const t1 = performance.now();
    claimMs += t1 - t0;
    if (jobs.length === 0) break;
    count += (await queue.completeMany(jobs)).length;
    completeMs += performance.now() - t1;
  }
  const cpu = process.cpuUsage(cpu0);
  const f = (x: number) => x.toFixed(1);
  process.stdout.write(`done ${count} ${f(performance.now() - start)} ${f((cpu.user + cpu.system) / 1000)} ${f(claimMs)} ${f(completeMs)}\n`);
  await store.close();
  process.exit(0); // stdin would keep the process alive
} else {
  const wall = () => performance.timeOrigin + performance.now();
  // the last notification and the last claim that returned jobs, for the split of each sample
  let notified = 0;
  let claimStart = 0;
  let claimEnd = 0;
  const claim = queue.claim.bind(queue);
  queue.claim = async (...args) => {
    const t0 = wall();
    const jobs = await claim(...args);
    if (jobs.length > 0) [claimStart, claimEnd] = [t0, wall()];
    return jobs;
  };
  const worker = new Worker(
    queue,
    {
      latency: async (job) => {
        const sent = (job.payload as { t: number }).t;
        const now = wall();
        const f = (x: number) => x.toFixed(2);
        process.stdout.write(`started ${f(now - sent)} ${f(notified)} ${f(claimStart)} ${f(claimEnd)} ${f(now)}\n`);
      },
    },
    { concurrency: 4, leaseMs: 60_000, pollIntervalMs: Number(arg) },
  );
  const listener = store.listenForJobs(() => {
    notified = wall();
    worker.nudge();
  });
  worker.start();
  if (listener) while (!listener.connected) await new Promise((r) => setTimeout(r, 10));
  process.stdout.write('ready\n');
  process.stdin.once('data', () => void (async () => {
    await worker.stop();
    await listener?.stop();
    await store.close();
    process.exit(0);
  })());
}
