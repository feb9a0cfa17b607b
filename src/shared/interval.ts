/** Durations written as text ("500ms", "30s", "15m", "1h", "2d"): shared by config, connectors and HTTP. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const INTERVAL_RE = /^(\d+)(ms|s|m|h|d)$/;

/** "15m" → 900000. Returns null when the text is not an interval. */
export function parseInterval(text: string): number | null {
  const m = INTERVAL_RE.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n * (UNITS[m[2] as string] as number) : null;
}
