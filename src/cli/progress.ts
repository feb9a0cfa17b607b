/** Progress of a long sync: a redrawn bar on a TTY, plain lines (at most one per second) otherwise. */
import type { Progress } from '../engine/records/run-direction.js';

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function progressPrinter(sink: ProgressSink, now: () => number = () => performance.now()): { update(p: Progress): void; done(): void } {
  let current = '';
  let started = now();
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const key = `${p.entity} ${p.direction}`;
      if (key !== current) {
        if (drawn && sink.isTTY) sink.write('\n');
        current = key;
        started = now();
        drawn = false;
      }
      const secs = Math.max(0.001, (now() - started) / 1000);
      const rate = p.done / secs;
      const pct = p.total ? Math.min(100, Math.floor((p.done / p.total) * 100)) : null;
      const eta = p.total && rate > 0 ? Math.max(0, (p.total - p.done) / rate) : null;
      const text = `${key.padEnd(24)} ${p.done}${p.total ? `/${p.total}` : ''} records${pct !== null ? ` ${pct}%` : ''}  ${rate.toFixed(0)}/s${eta !== null ? `  ETA ${eta.toFixed(0)}s` : ''}`;
      if (sink.isTTY) {
        const width = 20;
        const bar = pct !== null ? `[${'#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.')}] ` : '';
        sink.write(`\r${bar}${text}\u001b[K`);
        drawn = true;
      } else if (now() - lastLine >= 1000 || (p.total !== undefined && p.done >= p.total)) {
        lastLine = now();
        sink.write(`${text}\n`);
      }
    },
    done() {
      if (drawn && sink.isTTY) sink.write('\n');
      drawn = false;
    },
  };
}
