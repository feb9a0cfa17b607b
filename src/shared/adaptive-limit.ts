/**
 * How many requests may be in flight to one remote system at once, found while running instead of fixed:
 * the limit grows while the system answers as fast as it usually does, shrinks when its answers slow down
 * (latency beyond `tolerance` × its usual latency), and halves on overload (429, 5xx, a timeout). A 429's
 * or 503's Retry-After holds every new request back until then. Never below `min` nor above `max`.
 *
 * The growth and the latency rule follow Netflix concurrency-limits' Gradient2Limit (gradient =
 * tolerance × usual RTT ÷ RTT of the sample, clamped to [0.5, 1]; new = limit × gradient + √limit,
 * smoothed), the halving on overload its AIMDLimit. Our own: the usual RTT is an average over time
 * (`baselineMs`, 30 s) rather than over a number of samples, so a burst of thousands of answers a second
 * cannot drag it up within the burst; a limit the callers do not use (fewer than half of it in flight)
 * does not grow; and the answers to requests sent before the last decrease do not decrease it again (one
 * burst of 429s halves it once, not once per request).
 *
 * Requests that find the limit taken wait in arrival order; waiting costs nothing but the caller's time.
 */
import { SyncError } from './errors.js';

export interface AdaptiveLimitOptions {
  /** Name of the system (metrics, errors). */
  system: string;
  min: number;
  max: number;
  /** Limit at the start (default: min(max, max(min, 8))). */
  initial?: number;
  /** How much slower than usual answers may get before the limit shrinks (default 2). */
  tolerance?: number;
  /** Factor applied on overload (default 0.5). */
  backoff?: number;
  /** Weight of each sample in the limit (default 0.2). */
  smoothing?: number;
  /** Time over which the usual latency is averaged (default 30 s). */
  baselineMs?: number;
  /** A Retry-After longer than this is not waited in place: the request fails as rate_limited at once (default 5 s). */
  maxPauseWaitMs?: number;
  now?: () => number;
}

/** How a request ended, for the limit: answered normally, the system was overloaded, or says nothing about load. */
export type LimitOutcome = 'ok' | 'overload' | 'ignore';

export interface Permit {
  release(outcome: LimitOutcome, opts?: { retryAfterMs?: number }): void;
}

interface Waiter {
  resolve: (p: Permit) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Default of a system's `concurrency` setting: adaptive between 2 and 32, starting at 8. */
export const DEFAULT_CONCURRENCY = { min: 2, max: 32, initial: 8 } as const;

/** A system's `concurrency` setting (tandem.yaml): a fixed number, or the bounds of the adaptive limit. */
export type ConcurrencySetting = number | { min?: number; max?: number; initial?: number };

const WARMUP = 10;

const live = new Set<WeakRef<AdaptiveLimit>>();

/** Every limit of this process still in use (for the metrics gauge). */
export function liveLimits(): AdaptiveLimit[] {
  const out: AdaptiveLimit[] = [];
  for (const ref of live) {
    const l = ref.deref();
    if (l) out.push(l);
    else live.delete(ref);
  }
  return out;
}

export class AdaptiveLimit {
  readonly system: string;
  readonly min: number;
  readonly max: number;
  private estimate: number;
  private inFlightNow = 0;
  private longRtt = 0;
  private samples = 0;
  private lastSampleAt = 0;
  private lastDecreaseAt = -Infinity;
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private readonly waiters: Waiter[] = [];
  private readonly o: Required<Omit<AdaptiveLimitOptions, 'initial' | 'system' | 'min' | 'max'>>;

  constructor(opts: AdaptiveLimitOptions) {
    this.system = opts.system;
    this.min = Math.max(1, Math.floor(opts.min));
    this.max = Math.max(this.min, Math.floor(opts.max));
    this.estimate = clamp(opts.initial ?? 8, this.min, this.max);
    this.o = {
      tolerance: opts.tolerance ?? 2,
      backoff: opts.backoff ?? 0.5,
      smoothing: opts.smoothing ?? 0.2,
      maxPauseWaitMs: opts.maxPauseWaitMs ?? 5_000,
      baselineMs: opts.baselineMs ?? 30_000,
      now: opts.now ?? (() => performance.now()),
    };
    live.add(new WeakRef(this));
  }

  /** Requests that may be in flight now. */
  get limit(): number {
    return Math.floor(this.estimate);
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Waits for a free slot (in arrival order); the permit must be released once with the request's outcome. */
  acquire(signal?: AbortSignal): Promise<Permit> {
    const pause = this.pausedUntil - this.o.now();
    if (pause > this.o.maxPauseWaitMs) return Promise.reject(this.pausedError(pause));
    if (this.waiters.length === 0 && pause <= 0 && this.inFlightNow < this.limit) return Promise.resolve(this.grant());
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = { resolve, reject, ...(signal && { signal }) };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
    });
  }

  private grant(): Permit {
    this.inFlightNow += 1;
    const startedAt = this.o.now();
    const inFlightAtStart = this.inFlightNow;
    let released = false;
    return {
      release: (outcome, opts = {}) => {
        if (released) return;
        released = true;
        this.inFlightNow -= 1;
        this.sample(outcome, startedAt, inFlightAtStart, opts.retryAfterMs);
        this.dispatch();
      },
    };
  }

  private sample(outcome: LimitOutcome, startedAt: number, inFlightAtStart: number, retryAfterMs: number | undefined): void {
    const now = this.o.now();
    if (retryAfterMs !== undefined && retryAfterMs > 0) this.pause(now + retryAfterMs);
    if (outcome === 'ignore') return;
    if (outcome === 'overload') {
      // answers to requests sent before the last decrease were sent under the old limit: one decrease for them all
      if (startedAt < this.lastDecreaseAt) return;
      this.estimate = Math.max(this.min, this.estimate * this.o.backoff);
      this.lastDecreaseAt = now;
      return;
    }
    const rtt = Math.max(0.001, now - startedAt);
    this.samples += 1;
    if (this.samples <= WARMUP) this.longRtt += (rtt - this.longRtt) / this.samples;
    else this.longRtt += (rtt - this.longRtt) * (1 - Math.exp(-Math.max(0, now - this.lastSampleAt) / this.o.baselineMs));
    this.lastSampleAt = now;
    // answers got much faster than the long-term mean (a slow phase ended): let the mean catch up sooner
    if (this.longRtt / rtt > 2) this.longRtt *= 0.95;
    if (this.samples <= WARMUP) return;
    // a limit the callers do not use says nothing about the system: it does not grow
    if (inFlightAtStart < this.estimate / 2) return;
    const gradient = clamp((this.o.tolerance * this.longRtt) / rtt, 0.5, 1);
    const next = this.estimate * gradient + Math.sqrt(this.estimate);
    this.estimate = clamp(this.estimate * (1 - this.o.smoothing) + next * this.o.smoothing, this.min, this.max);
  }

  private pause(until: number): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    const wait = until - this.o.now();
    // a long pause: the waiting requests fail as rate limited now (their jobs come back later) instead of holding workers
    if (wait > this.o.maxPauseWaitMs) for (const w of this.waiters.splice(0)) this.settle(w, null, this.pausedError(wait));
    this.armPauseTimer();
  }

  /** Wakes the waiting requests when the pause ends (timers may fire a little early: then it waits again). */
  private armPauseTimer(): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.dispatch(), Math.max(1, Math.ceil(this.pausedUntil - this.o.now())));
    this.pauseTimer.unref?.();
  }

  private dispatch(): void {
    if (this.pausedUntil > this.o.now()) {
      if (this.waiters.length > 0) this.armPauseTimer();
      return;
    }
    while (this.waiters.length > 0 && this.inFlightNow < this.limit) this.settle(this.waiters.shift()!, this.grant(), null);
  }

  private settle(w: Waiter, permit: Permit | null, error: Error | null): void {
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    if (permit) w.resolve(permit);
    else w.reject(error!);
  }

  private pausedError(ms: number): SyncError {
    return new SyncError('rate_limited', `${this.system} asked to wait ${Math.ceil(ms / 1000)} s (Retry-After) before the next request`, {
      system: this.system,
      retryAfterMs: Math.ceil(ms),
    });
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** What an HTTP status says about the system's load: 429 and 5xx are overload, other answers are normal. */
export function outcomeOfStatus(status: number): LimitOutcome {
  if (status === 429 || status >= 500) return 'overload';
  return 'ok';
}
