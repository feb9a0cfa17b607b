/**
 * Server time in microseconds since the epoch (PostgreSQL keeps microseconds; Odoo shows seconds).
 * Every reading is strictly later than the previous one, like now() in successive transactions.
 */
export class SimClock {
  private last = 0;

  constructor(private readonly source: () => Date = () => new Date()) {}

  /** Microseconds since the epoch, strictly increasing. */
  nowUs(): number {
    const ms = this.source().getTime();
    // sub-millisecond part from the high-resolution timer so the microseconds are not always 000
    const micro = Number(process.hrtime.bigint() % 1000n);
    let us = ms * 1000 + micro;
    // strictly increasing; a source clock set back by a test (more than a second) is followed
    if (us <= this.last && this.last - us < 1_000_000) us = this.last + 1;
    this.last = us;
    return us;
  }

  today(): string {
    return formatDate(this.nowUs());
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** µs → 'YYYY-MM-DD HH:MM:SS' (UTC, what Odoo returns). */
export function formatDatetime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatDate(us: number): string {
  return formatDatetime(us).slice(0, 10);
}

const DT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?:Z|\+00:?00)?$/;

/** 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' → µs, or null when not a datetime. */
export function parseDatetime(s: string): number | null {
  const m = DT_RE.exec(s.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (Number.isNaN(ms)) return null;
  const frac = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  return ms * 1000 + frac;
}

export function addDays(date: string, days: number): string {
  const us = parseDatetime(date);
  if (us === null) return date;
  return formatDate(us + days * 86_400_000_000);
}
