/**
 * Where the time goes after the last kill: a tracker that samples the `jobs` table while the chaos run
 * goes on (every `everyMs`, only rows changed since the last sample plus the ones not finished) and
 * records each job's transitions (state, attempt, run_at, worker), and an analysis of the drain:
 *
 * - per job kind: jobs still open at the last kill, when the last of them finished, attempts after it;
 * - the open jobs' time after the last kill split by what they waited for: `backoff` (queued, run_at in
 *   the future), `due` (queued and due but not claimed: no free worker, a key head before it, a breaker
 *   open), `running` (on a live worker), `deadLease` (claimed by a worker that was killed: waiting for the
 *   reaper or the lease to end);
 * - the backoff gaps chosen after the last kill (run_at − the failure) with the errors that caused them;
 * - the jobs of the orders that converged last (the critical path), transition by transition.
 *
 * Pure apart from the sampling, so the analysis is tested on planted histories (test/e2e/chaos-timeline.test.ts).
 */
import { sql, type Kysely } from 'kysely';

export interface JobSample {
  id: number;
  kind: string;
  key: string | null;
  state: string;
  attempts: number;
  run_at: number;
  locked_by: string | null;
  last_error: string | null;
}

export interface JobEvent {
  /** When the sample saw it (epoch ms). */
  t: number;
  state: string;
  attempts: number;
  runAt: number;
  lockedBy: string | null;
  /** The error kind (and code) recorded with a failure, when it changed. */
  error?: string;
}

export interface JobHistory {
  id: number;
  kind: string;
  key: string | null;
  events: JobEvent[];
}

export type Histories = Map<number, JobHistory>;

/** Folds one sample into the histories: an event when state, attempt, run_at or worker changed. */
export function record(histories: Histories, rows: readonly JobSample[], t: number): void {
  for (const r of rows) {
    let h = histories.get(Number(r.id));
    if (!h) {
      h = { id: Number(r.id), kind: r.kind, key: r.key, events: [] };
      histories.set(h.id, h);
    }
    const last = h.events[h.events.length - 1];
    const ev: JobEvent = { t, state: r.state, attempts: Number(r.attempts), runAt: Number(r.run_at), lockedBy: r.locked_by };
    if (last && last.state === ev.state && last.attempts === ev.attempts && last.runAt === ev.runAt && last.lockedBy === ev.lockedBy) continue;
    const err = errorOf(r.last_error);
    if (err && err !== lastError(h)) ev.error = err;
    h.events.push(ev);
  }
}

function lastError(h: JobHistory): string | undefined {
  for (let i = h.events.length - 1; i >= 0; i--) if (h.events[i]!.error) return h.events[i]!.error;
  return undefined;
}

function errorOf(text: string | null): string | undefined {
  if (!text) return undefined;
  try {
    const e = JSON.parse(text) as { kind?: string; code?: string; status?: number; system?: string };
    return [e.kind, e.code ?? e.status, e.system].filter((x) => x !== undefined && x !== null).join('/');
  } catch {
    return 'unparsed';
  }
}

/** Samples the jobs table every `everyMs` until stopped. */
export function trackJobs(db: Kysely<never>, everyMs = 500): { histories: Histories; stop(): Promise<void> } {
  const histories: Histories = new Map();
  let since = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = Date.now();
      try {
        const { rows } = await sql<JobSample & { updated_at: number }>`select id, kind, key, state, attempts, run_at, locked_by, last_error, updated_at from jobs
          where updated_at >= ${since} or state in ('queued', 'running')`.execute(db);
        record(histories, rows, t);
        // updated_at comes from the nodes' clocks (this machine): a margin for statements in flight
        since = t - 2_000;
      } catch {
        // the store is busy or being torn down: the next sample catches up
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    histories,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export interface WaitSplit {
  backoff: number;
  due: number;
  running: number;
  deadLease: number;
}

export interface KindDrain {
  kind: string;
  /** Jobs of the kind not done at the last kill (or created after it). */
  open: number;
  /** ms from the last kill to the last of them done (null: some never finished while tracked). */
  lastDoneMs: number | null;
  /** Attempts started after the last kill. */
  attemptsAfter: number;
  /** ms the open jobs spent in each situation after the last kill (summed over jobs). */
  waited: WaitSplit;
}

export interface BackoffGap {
  /** ms from the failure to the job's run_at. */
  gapMs: number;
  attempts: number;
  error: string;
}

export interface DrainAnalysis {
  kinds: KindDrain[];
  /** Failures after the last kill that put a job back with a future run_at: count by error, and the gaps. */
  retries: { byError: Record<string, number>; gapsMs: { p50: number; max: number; over10s: number } };
  /** Releases without a counted attempt (breaker deferrals, graceful stops) after the last kill. */
  releases: number;
  /**
   * Per kind, the part of `due` a job spent behind an older queued-or-running job of its key (key order,
   * not a worker shortage): what is left of `due` waited for a free worker or a closed breaker.
   */
  dueBehindKey: Record<string, number>;
}

type Span = [number, number];

/** When the job was queued or running (not done or dead), as spans. */
function openSpans(h: JobHistory, to: number): Span[] {
  const spans: Span[] = [];
  h.events.forEach((e, i) => {
    if (e.state !== 'queued' && e.state !== 'running') return;
    const end = h.events[i + 1]?.t ?? to;
    if (end > e.t) spans.push([e.t, end]);
  });
  return spans;
}

/** ms of [start, end) covered by the union of `spans`. */
function covered(spans: readonly Span[], start: number, end: number): number {
  const cut = spans.map(([a, b]): Span => [Math.max(a, start), Math.min(b, end)]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reach = start;
  for (const [a, b] of cut) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}

/** `deadWorker(lockedBy, t)`: the worker was killed before t (its lease waits for the reaper). */
export function analyzeDrain(histories: Histories, from: number, to: number, deadWorker: (lockedBy: string, t: number) => boolean): DrainAnalysis {
  const kinds = new Map<string, KindDrain>();
  const byError: Record<string, number> = {};
  const gaps: number[] = [];
  let releases = 0;
  const dueBehindKey: Record<string, number> = {};
  const byKey = new Map<string, JobHistory[]>();
  for (const h of histories.values()) if (h.key !== null) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h]);
  const spans = new Map<number, Span[]>();
  /** Spans in which an older job of h's key was queued or running. */
  const olderOpen = (h: JobHistory): Span[] =>
    (h.key === null ? [] : (byKey.get(h.key) ?? [])).filter((o) => o.id < h.id).flatMap((o) => {
      let s = spans.get(o.id);
      if (!s) spans.set(o.id, (s = openSpans(o, to)));
      return s;
    });
  for (const h of histories.values()) {
    const evs = h.events;
    const doneAt = evs.find((e) => e.state === 'done' || e.state === 'dead')?.t;
    if (doneAt !== undefined && doneAt <= from) continue;
    const k = kinds.get(h.kind) ?? { kind: h.kind, open: 0, lastDoneMs: 0, attemptsAfter: 0, waited: { backoff: 0, due: 0, running: 0, deadLease: 0 } };
    kinds.set(h.kind, k);
    k.open += 1;
    if (doneAt === undefined) k.lastDoneMs = null;
    else if (k.lastDoneMs !== null) k.lastDoneMs = Math.max(k.lastDoneMs, doneAt - from);
    for (let i = 0; i < evs.length; i++) {
      const e = evs[i]!;
      const prev = evs[i - 1];
      const next = evs[i + 1];
      const start = Math.max(e.t, from);
      const end = Math.min(next?.t ?? doneAt ?? to, to);
      if (e.t > from && prev && e.attempts > prev.attempts && e.state === 'running') k.attemptsAfter += e.attempts - prev.attempts;
      if (e.t > from && prev?.state === 'running' && e.state === 'queued') {
        if (e.attempts < prev.attempts) releases += 1;
        else {
          const err = e.error ?? lastErrorBefore(evs, i) ?? 'unknown';
          byError[err] = (byError[err] ?? 0) + 1;
          gaps.push(Math.max(0, e.runAt - e.t));
        }
      }
      if (end <= start || e.state === 'done' || e.state === 'dead') continue;
      if (e.state === 'running') {
        if (e.lockedBy && deadWorker(e.lockedBy, start)) k.waited.deadLease += end - start;
        else k.waited.running += end - start;
      } else if (e.state === 'queued') {
        const due = Math.min(Math.max(e.runAt, start), end);
        k.waited.backoff += due - start;
        k.waited.due += end - due;
        if (end > due && h.key !== null) dueBehindKey[h.kind] = (dueBehindKey[h.kind] ?? 0) + covered(olderOpen(h), due, end);
      }
    }
  }
  gaps.sort((a, b) => a - b);
  return {
    kinds: [...kinds.values()].sort((a, b) => b.open - a.open),
    retries: { byError, gapsMs: { p50: gaps[Math.floor(gaps.length / 2)] ?? 0, max: gaps[gaps.length - 1] ?? 0, over10s: gaps.filter((g) => g > 10_000).length } },
    releases,
    dueBehindKey,
  };
}

function lastErrorBefore(evs: readonly JobEvent[], i: number): string | undefined {
  for (let k = i; k >= 0; k--) if (evs[k]!.error) return evs[k]!.error;
  return undefined;
}

/** One line per transition of the jobs of `key`, times relative to `from` (s). */
export function describeKey(histories: Histories, key: string, from: number): string[] {
  const lines: string[] = [];
  for (const h of [...histories.values()].filter((x) => x.key === key).sort((a, b) => a.id - b.id)) {
    const steps = h.events.map((e) => {
      const at = ((e.t - from) / 1000).toFixed(1);
      const wait = e.state === 'queued' && e.runAt > e.t ? ` until ${((e.runAt - from) / 1000).toFixed(1)}` : '';
      const who = e.state === 'running' && e.lockedBy ? ` on ${e.lockedBy.split(':')[1] ?? e.lockedBy}` : '';
      return `${at}s ${e.state}#${e.attempts}${who}${wait}${e.error ? ` (${e.error})` : ''}`;
    });
    lines.push(`job ${h.id} ${h.kind}: ${steps.join(' → ')}`);
  }
  return lines;
}
