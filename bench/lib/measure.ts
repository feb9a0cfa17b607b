/** Measuring helpers: peak RSS of this process, CPU time, machine load, percentiles. */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const MB = 1024 * 1024;

/** VmHWM (peak resident set) of this process in bytes, or null when /proc is not there. */
function vmHwm(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Peak RSS over a phase: the kernel's high-water mark (reset at the start through /proc/self/clear_refs)
 * and, where that is not available, a 100 ms sampler. Both are read; the larger wins.
 */
export class PeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      /* not Linux or not allowed: the sampler alone */
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** Stops sampling; peak in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round(Math.max(this.peak, vmHwm() ?? 0) / MB);
  }
}

export interface Phase {
  wallMs: number;
  cpuMs: number;
  /** The part of cpuMs spent in the kernel (system time: sockets, SQLite file writes). */
  sysMs?: number;
  peakRssMb: number;
}

/** Runs `fn`, measuring wall time, this process's CPU time (user + system) and peak RSS. */
export async function phase<T>(fn: () => Promise<T>): Promise<{ result: T } & Phase> {
  const rss = new PeakRss();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000, sysMs: used.system / 1000, peakRssMb: rss.stop() };
}

export function load(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = loadavg();
  return [round(a, 2), round(b, 2), round(c, 2)];
}

export function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Nearest-rank percentile of unsorted numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function rate(count: number, ms: number): number {
  return ms > 0 ? round((count / ms) * 1000) : 0;
}
