/** Sends an alert through every configured channel, counts it, records it in the audit log, and logs what could not be delivered. */
import type { Engine } from '../context.js';
import { sendAlert, type Alert } from './send-alert.js';

/** True when at least one channel took it (or none is configured: the log line is all there is). */
export async function notify(engine: Engine, alert: Alert): Promise<boolean> {
  engine.log.warn({ alert: alert.type, ...alert.data }, alert.subject);
  let delivered = false;
  const results = engine.config.alerts.channels.length === 0 ? [] : await sendAlert(engine.config.alerts.channels, alert);
  for (const r of results) {
    engine.metrics.alerts.inc({ channel: r.channel, result: r.ok ? 'sent' : 'failed' });
    if (!r.ok) engine.log.warn({ channel: r.channel, error: r.error }, 'alert not delivered');
    delivered ||= r.ok;
  }
  // what was sent, for the console's "alerts sent" (no alert data: it may name people)
  await engine.store.audit
    .record({ entity: 'alert', action: 'alert:sent', actor: null, detail: { type: alert.type, subject: alert.subject, channels: results.map((r) => ({ channel: r.channel, ok: r.ok })) } })
    .catch((err: unknown) => engine.log.warn({ err: (err as Error).message }, 'alert not written to the audit log'));
  return results.length === 0 || delivered;
}
