/**
 * Alert channels: a signed JSON POST (X-Tandem-Signature: sha256=<hex HMAC of "<timestamp>.<body>">,
 * the same scheme as the REST shop's webhooks) and email over SMTP (nodemailer).
 */
import { createHmac, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../../config/schema.js';
import { SyncError } from '../../shared/errors.js';
import { redactUrl } from '../../shared/http.js';

export interface Alert {
  type: 'low_stock' | 'dead_letters' | 'webhooks_disabled' | 'flow_failing' | 'drift';
  subject: string;
  text: string;
  data: Record<string, unknown>;
  at: string;
}

type Channel = Config['alerts']['channels'][number];

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function sendWebhook(ch: Extract<Channel, { type: 'webhook' }>, alert: Alert): Promise<void> {
  const body = JSON.stringify({ id: randomUUID(), ...alert });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-tandem-timestamp': timestamp, 'x-tandem-event': `alert.${alert.type}` };
  if (ch.secret) headers['x-tandem-signature'] = signBody(ch.secret, timestamp, body);
  let res: Response;
  try {
    res = await fetch(ch.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new SyncError('network', `alert webhook ${redactUrl(ch.url)} unreachable: ${(e as Error).message}`, { cause: e });
  }
  await res.arrayBuffer();
  if (!res.ok) throw new SyncError(res.status >= 500 ? 'unavailable' : 'invalid_data', `alert webhook ${redactUrl(ch.url)} answered HTTP ${res.status}`);
}

async function sendEmail(ch: Extract<Channel, { type: 'email' }>, alert: Alert): Promise<void> {
  const transport = nodemailer.createTransport(ch.smtp);
  try {
    await transport.sendMail({ from: ch.from, to: ch.to.join(', '), subject: `[tandem] ${alert.subject}`, text: alert.text });
  } catch (e) {
    throw new SyncError('unavailable', `alert email via ${redactUrl(ch.smtp)} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    transport.close();
  }
}

/** Sends to every channel; returns per-channel failures instead of throwing (one bad channel must not block the others). */
export async function sendAlert(channels: Channel[], alert: Alert): Promise<Array<{ channel: string; ok: boolean; error?: string }>> {
  return Promise.all(
    channels.map(async (ch) => {
      try {
        if (ch.type === 'webhook') await sendWebhook(ch, alert);
        else await sendEmail(ch, alert);
        return { channel: ch.type, ok: true };
      } catch (e) {
        return { channel: ch.type, ok: false, error: (e as Error).message };
      }
    }),
  );
}
