/**
 * One timer per flow (croner; intervals under a second use setInterval). A tick enqueues the flow's job
 * with key `schedule:<name>` and dedupe: runs of one flow never overlap (one key runs one job at a time)
 * and never pile up (at most one queued behind the running one).
 */
import { Cron } from 'croner';
import type { Schedule } from '../config/duration.js';
import { SyncError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
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

  constructor(private readonly queue: Queue, private readonly opts: { log?: Logger } = {}) {}

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

  /** Enqueues the flow's job now (what a timer does); undefined when the previous tick is still enqueuing. */
  async tick(name: string): Promise<string | undefined> {
    const entry = this.entries.get(name);
    if (!entry) throw new SyncError('config', `no schedule named "${name}"`);
    if (entry.ticking) return undefined;
    entry.ticking = true;
    try {
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
    const fire = () =>
      void this.tick(entry.name).catch((err: unknown) => this.opts.log?.error({ err, schedule: entry.name }, 'could not enqueue a scheduled run'));
    const { schedule } = entry;
    if (schedule.kind === 'cron') {
      entry.timer = new Cron(schedule.expression, { timezone: 'UTC', protect: true }, fire);
    } else if (schedule.ms >= 1000 && schedule.ms % 1000 === 0) {
      entry.timer = new Cron('* * * * * *', { timezone: 'UTC', protect: true, interval: schedule.ms / 1000 }, fire);
    } else {
      const handle = setInterval(fire, schedule.ms);
      entry.timer = { stop: () => clearInterval(handle) };
    }
  }
}
