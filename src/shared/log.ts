/**
 * Logging: pino JSON lines, scrubbed of secrets in two ways.
 *  - by path: fields named like credentials (password, apiKey, token, authorization headers…) are
 *    replaced wherever they sit in a logged object (up to three levels deep);
 *  - by value: every configured secret (the values behind `${ENV}` credentials, see config/load.ts)
 *    is replaced in the final line, wherever it appears: messages, nested objects, error messages and
 *    stacks, URLs — also in its JSON-escaped and URL-encoded forms.
 * Connectors receive a `Logger` through their deps.
 */
import { pino, type DestinationStream, type LevelWithSilent, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level'>;

export const REDACTED = '[REDACTED]';

/** Field names whose values are never logged. */
export const SECRET_FIELDS = [
  'password',
  'passwd',
  'apiKey',
  'api_key',
  'apiToken',
  'consumerKey',
  'consumer_key',
  'consumerSecret',
  'consumer_secret',
  'webhookSecret',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'masterKey',
  'authorization',
  'Authorization',
  'cookie',
  'smtp',
];
const SECRET_HEADERS = ['authorization', 'Authorization', 'cookie', 'set-cookie', 'x-api-key', 'vendure-api-key', 'x-shopify-access-token'];

export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const f of SECRET_FIELDS) paths.push(f, `*.${f}`, `*.*.${f}`);
  for (const h of SECRET_HEADERS) {
    const key = /^[A-Za-z_$][\w$]*$/.test(h) ? `.${h}` : `["${h}"]`;
    paths.push(`headers${key}`, `*.headers${key}`, `*.*.headers${key}`);
  }
  return paths;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every form a secret can take in a JSON log line. */
function forms(secret: string): string[] {
  const out = new Set<string>();
  for (const s of [secret, encodeURIComponent(secret)]) {
    out.add(s);
    out.add(JSON.stringify(s).slice(1, -1));
  }
  return [...out];
}

/** A function replacing every occurrence of the secrets (and their escaped forms) by [REDACTED]. */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const all = [...new Set(secrets.filter((s) => s.length > 0).flatMap(forms))].sort((a, b) => b.length - a.length);
  if (all.length === 0) return (text) => text;
  const re = new RegExp(all.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(re, REDACTED);
}

export interface CreateLoggerOptions {
  level?: LevelWithSilent;
  /** Values that must never appear in the output (LoadedConfig.secrets). */
  secrets?: readonly string[];
  /** Where lines go; stdout when omitted. */
  destination?: NodeJS.WritableStream | DestinationStream;
  /** Fields added to every line, e.g. { process: 'worker-1' }. */
  base?: Record<string, unknown>;
}

export function createLogger(opts: CreateLoggerOptions = {}): PinoLogger {
  const scrub = secretScrubber(opts.secrets ?? []);
  const options = {
    level: opts.level ?? 'info',
    base: opts.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: redactPaths(), censor: REDACTED },
    hooks: { streamWrite: scrub },
  };
  return opts.destination ? pino(options, opts.destination as DestinationStream) : pino(options);
}
