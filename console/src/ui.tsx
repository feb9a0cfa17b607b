/** Small shared pieces: times (browser's zone, UTC on hover), notices, pills. */
import type { ComponentChildren } from 'preact';

const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  const d = new Date(at);
  return (
    <time dateTime={at} title={`${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`}>
      {fmt.format(d)}
    </time>
  );
}

export function Notice({ kind, children }: { kind: 'error' | 'ok' | 'info'; children: ComponentChildren }) {
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

export function Pill({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'neutral'; children: ComponentChildren }) {
  return <span class={`pill ${tone}`}>{children}</span>;
}

export function Loading({ error, loading }: { error: string | null; loading: boolean }) {
  if (error) return <Notice kind="error">{error}</Notice>;
  return loading ? <p class="muted">Loading…</p> : null;
}

/** How long ago, in words ("12 s ago"); the UTC time on hover. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function Ago({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at} title={`${at.replace('T', ' ').slice(0, 19)} UTC`}>
      {ago(now - Date.parse(at))}
    </time>
  );
}

/** "1 error", "2 errors": a count with its noun in the right number. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
