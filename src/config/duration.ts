import { Cron } from 'croner';
import { parseInterval } from '../shared/interval.js';

export { parseInterval };

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
