/**
 * Log lines for people: pino's JSON line turned into `12:03:04 WARN  message  key=value …` (colored on a
 * terminal). The CLI uses it when stderr is a terminal or `--log-format pretty`; JSON stays the format
 * for everything else (files, journald, log shippers).
 */
import { UsageError } from './errors.js';

export type LogFormat = 'pretty' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

const COLORS: Record<string, string> = { trace: '90', debug: '90', info: '36', warn: '33', error: '31', fatal: '35' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One JSON log line → one human line (a line that is not JSON is returned unchanged). */
export function prettyLine(json: string, opts: { color?: boolean } = {}): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = typeof rec.level === 'string' ? rec.level : 'info';
  const time = typeof rec.time === 'string' ? rec.time.slice(11, 19) : '';
  const label = level.toUpperCase().padEnd(5);
  const coloredLabel = opts.color ? `\u001b[${COLORS[level] ?? '0'}m${label}\u001b[0m` : label;
  const fields = Object.entries(rec)
    .filter(([k, v]) => !OMIT.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`);
  const msg = typeof rec.msg === 'string' ? rec.msg : '';
  return `${[time, coloredLabel, msg].filter(Boolean).join(' ')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
}

/** The format from `--log-format` (or TANDEM_LOG_FORMAT), else pretty on a terminal and JSON otherwise. */
export function chooseLogFormat(option: string | undefined, isTTY: boolean): LogFormat {
  if (option === undefined || option === '') return isTTY ? 'pretty' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(option)) return option as LogFormat;
  throw new UsageError(`--log-format: unknown format "${option}", use pretty or json`);
}
