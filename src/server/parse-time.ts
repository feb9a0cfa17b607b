/** `--since 2d`, `?since=2025-01-31T00:00:00Z`: a duration back from now, or an ISO 8601 time. */
import { parseInterval } from '../config/duration.js';
import { UsageError } from '../shared/errors.js';

export function parseTime(value: string, now: number, name: string): number {
  const back = parseInterval(value);
  if (back !== null) return now - back;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  throw new UsageError(`${name} "${value}" is neither a duration back from now ("2d", "12h") nor a time like 2025-01-31 or 2025-01-31T08:00:00Z`);
}
