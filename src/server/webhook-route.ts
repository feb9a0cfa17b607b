/** POST /webhooks/:system — public: the connector checks the delivery's signature (intake.ts). */
import { intakeWebhook } from './intake.js';
import { BodyTooLarge } from './read-body.js';
import type { Reply, RequestContext } from './route-table.js';

export async function webhook(c: RequestContext): Promise<Reply> {
  const system = c.params.system as string;
  const limit = c.engine.config.server.webhooks.maxBodyBytes;
  let body: Buffer;
  try {
    body = await c.raw(limit);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      c.engine.metrics.webhooks.inc({ system, result: 'rejected_413' });
      c.engine.log.warn({ system, limit: e.limit }, 'webhook rejected: body too large');
      return { status: 413, body: { error: `body larger than ${limit} bytes (server.webhooks.maxBodyBytes)` }, headers: { connection: 'close' } };
    }
    throw e;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const r = await intakeWebhook(c.engine, system, { method: 'POST', path: c.url.pathname, headers, body, receivedAt: new Date() });
  return { status: r.status, body: r.body };
}
