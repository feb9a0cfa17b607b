import { Cron } from 'croner';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const INTERVAL_RE = /^(\d+)(ms|s|m|h|d)$/;

/** "15m" → 900000. Returns null when the text is not an interval. */
export function parseInterval(text: string): number | null {
  const m = INTERVAL_RE.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n * (UNITS[m[2] as string] as number) : null;
}

export function isCron(text: string): boolean {
  try {
    new Cron(text.trim(), { paused: true, timezone: 'UTC' }).stop();
    return true;
  } catch {
    return false;
  }
}

export type Schedule = { kind: 'interval'; ms: number; text: string } | { kind: 'cron'; expression: string; text: string };

export function parseSchedule(text: string): Schedule | null {
  const ms = parseInterval(text);
  if (ms !== null) return { kind: 'interval', ms, text };
  if (isCron(text)) return { kind: 'cron', expression: text.trim(), text };
  return null;
}
