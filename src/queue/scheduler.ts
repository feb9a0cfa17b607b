/**
 * One timer per flow (croner for cron expressions; intervals fire on multiples of the interval since the
 * epoch, so every node ticks at the same times). A tick enqueues the flow's job with key
 * `schedule:<name>` and dedupe: runs of one flow never overlap (one key runs one job at a time) and never
 * pile up (at most one queued behind the running one). With `ticks` (several nodes on one store) a timer
 * tick first claims its (schedule, tick time) row: only the node that wins enqueues, so each tick fires
 * once across nodes with no leader.
 *
 * A timer tick of an interval schedule is skipped while the flow's previous run is running: the next tick,
 * at most one interval after that run ends, starts the next one. A run claimed by a stopped worker (lease
 * ended or reaped, not claimed again yet) counts as running: the next claim re-runs it from the start, so
 * it is the next run. Queued behind the running
 * run instead, it waited as long as that run took (30–90 s for an order poll at load 12–21 in the chaos
 * suite, where it was the job left "stuck" at the end) and then ran back to back with it, on a machine
 * already short of CPU. Nothing is missed: a poll reads from its cursor, so the next run sees what changed
 * meanwhile. Cron ticks (hours or days apart) and manual ticks (`tick(name)`, a person asked) still queue
 * one run behind a running one.
 */
import { Cron } from 'croner';
import type { Schedule } from '../config/duration.js';
import { SyncError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { NodeRepo } from '../store/index.js';
import type { Queue } from './queue.js';
import type { NewJob } from './types.js';

interface Entry {
  name: string;
  schedule: Schedule;
  job: Omit<NewJob, 'key' | 'dedupe'>;
  timer?: { stop(): void };
  ticking: boolean;
}

export const scheduleKey = (name: string) => `schedule:${name}`;

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private started = false;

  constructor(private readonly queue: Queue, private readonly opts: { log?: Logger; ticks?: { nodes: NodeRepo; nodeId: string } } = {}) {}

  add(name: string, schedule: Schedule, job: Omit<NewJob, 'key' | 'dedupe'>): void {
    if (this.entries.has(name)) throw new SyncError('config', `schedule "${name}" is defined twice`);
    const entry: Entry = { name, schedule, job, ticking: false };
    this.entries.set(name, entry);
    if (this.started) this.arm(entry);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) this.arm(entry);
  }

  stop(): void {
    this.started = false;
    for (const entry of this.entries.values()) {
      entry.timer?.stop();
      entry.timer = undefined;
    }
  }

  /**
   * Enqueues the flow's job now; undefined when the previous tick is still enqueuing, when `tickAt` (the
   * timer's tick time, epoch ms) was already claimed by another node, or when it is an interval schedule's
   * timer tick and the previous run still runs.
   */
  async tick(name: string, tickAt?: number): Promise<string | undefined> {
    const entry = this.entries.get(name);
    if (!entry) throw new SyncError('config', `no schedule named "${name}"`);
    if (entry.ticking) return undefined;
    entry.ticking = true;
    try {
      if (tickAt !== undefined && entry.schedule.kind === 'interval' && (await this.queue.runs(scheduleKey(name)))) {
        this.opts.log?.debug({ schedule: name }, 'previous run still running: tick skipped');
        return undefined;
      }
      const ticks = this.opts.ticks;
      if (ticks && tickAt !== undefined && !(await ticks.nodes.claimTick(name, tickAt, ticks.nodeId))) return undefined;
      const id = await this.queue.enqueue({ ...entry.job, key: scheduleKey(name), dedupe: true });
      this.opts.log?.debug({ schedule: name, jobId: id }, 'scheduled run enqueued');
      return id;
    } finally {
      entry.ticking = false;
    }
  }

  /** When the next tick of a schedule is due (cron schedules only; null otherwise). */
  nextRun(name: string): Date | null {
    const schedule = this.entries.get(name)?.schedule;
    if (schedule?.kind !== 'cron') return null;
    const cron = new Cron(schedule.expression, { paused: true, timezone: 'UTC' });
    const next = cron.nextRun();
    cron.stop();
    return next;
  }

  private arm(entry: Entry): void {
    const fire = (tickAt: number) =>
      void this.tick(entry.name, tickAt).catch((err: unknown) => this.opts.log?.error({ err, schedule: entry.name }, 'could not enqueue a scheduled run'));
    const { schedule } = entry;
    if (schedule.kind === 'cron') {
      // cron ticks are whole seconds: nodes whose clocks agree within half a second name the same tick
      entry.timer = new Cron(schedule.expression, { timezone: 'UTC', protect: true }, () => fire(Math.round(Date.now() / 1000) * 1000));
    } else {
      entry.timer = alignedInterval(schedule.ms, fire);
    }
  }
}

/** Fires at every multiple of `ms` since the epoch (the same instants on every node), passing that instant. */
export function alignedInterval(ms: number, fire: (tickAt: number) => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = () => {
    const now = Date.now();
    const at = (Math.floor(now / ms) + 1) * ms;
    timer = setTimeout(() => {
      if (stopped) return;
      fire(at);
      next();
    }, at - now);
  };
  next();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
