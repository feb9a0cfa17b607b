/** The `server` and `retention` sections of tandem.yaml: HTTP listener, access control, personal data. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, secret } from './common.js';

const ipOrCidr = z
  .string()
  .refine((s) => {
    const [ip, bits, ...rest] = s.split('/');
    if (rest.length || !ip || !isIP(ip)) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n <= (isIP(ip) === 4 ? 32 : 128);
  }, { message: 'must be an IP address ("10.0.0.5") or a network ("10.0.0.0/8", "fd00::/8")' });

/** `host:port` (IPv6 in brackets) on a loopback address. */
export function parseListen(listen: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  if (!m) return null;
  const host = (m[1] ?? m[2]) as string;
  const port = Number(m[3]);
  return port <= 65535 ? { host, port } : null;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:127\./i.test(host);
}

const metricsListen = z.string().refine((s) => {
  const l = parseListen(s);
  return l !== null && isLoopback(l.host);
}, { message: 'must be a loopback address and port like "127.0.0.1:9464" (this listener answers without credentials)' });

/** Default limit of a webhook body: a 10,000-line WooCommerce order is about 1.6 MB. */
export const DEFAULT_WEBHOOK_BODY_BYTES = 8 * 1024 * 1024;
/** The most `server.webhooks.maxBodyBytes` may be. */
export const MAX_WEBHOOK_BODY_LIMIT = 32 * 1024 * 1024;

const WebhooksConfig = z
  .object({
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(MAX_WEBHOOK_BODY_LIMIT)
      .default(DEFAULT_WEBHOOK_BODY_BYTES)
      .describe('largest webhook body accepted, in bytes (default 8 MiB); larger ones are answered 413'),
    dedupeWindow: duration()
      .default('7d')
      .describe('a delivery whose signed body was seen within this window is a duplicate (replays included); older inbox rows are purged'),
  })
  .strict()
  .default({ maxBodyBytes: DEFAULT_WEBHOOK_BODY_BYTES, dedupeWindow: '7d' });

export const ServerConfig = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    publicUrl: z.string().url().optional(),
    apiToken: secret().optional().describe('DEPRECATED: an admin bearer token as ${ENV_VAR}; use `tandem token create` instead'),
    trustedProxies: z
      .array(ipOrCidr)
      .default([])
      .describe('reverse proxies (addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto are believed'),
    session: z
      .object({
        idleTimeout: duration().default('1h').describe('a dashboard session unused this long ends'),
        maxAge: duration().default('12h').describe('a dashboard session ends this long after login, used or not'),
      })
      .strict()
      .default({ idleTimeout: '1h', maxAge: '12h' }),
    login: z
      .object({
        maxFailures: z.number().int().min(1).max(1000).default(5).describe('failed logins per user name and per client address within `window`'),
        window: duration().default('15m'),
      })
      .strict()
      .default({ maxFailures: 5, window: '15m' }),
    webhookCheck: duration()
      .default('1m')
      .describe("how often `tandem serve` checks the shop's webhooks: lost or disabled ones are re-registered, and orders are polled at this interval while they are down"),
    webhooks: WebhooksConfig,
    metrics: z
      .object({ listen: metricsListen.describe('serve /metrics without credentials on this loopback address, e.g. 127.0.0.1:9464') })
      .strict()
      .optional(),
  })
  .strict()
  .default({ host: '127.0.0.1', port: 8787, trustedProxies: [], session: { idleTimeout: '1h', maxAge: '12h' }, login: { maxFailures: 5, window: '15m' }, webhookCheck: '1m', webhooks: { maxBodyBytes: DEFAULT_WEBHOOK_BODY_BYTES, dedupeWindow: '7d' } });

export const RetentionConfig = z
  .object({
    personalData: duration()
      .default('30d')
      .describe('after this, personal fields (names, e-mails, addresses, phones) are redacted from dead letters, webhook payloads, order steps, audit details and run reports'),
  })
  .strict()
  .default({ personalData: '30d' });
