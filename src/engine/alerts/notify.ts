/** Sends an alert through every configured channel, counts it, and logs what could not be delivered. */
import type { Engine } from '../context.js';
import { sendAlert, type Alert } from './send-alert.js';

/** True when at least one channel took it (or none is configured: the log line is all there is). */
export async function notify(engine: Engine, alert: Alert): Promise<boolean> {
  engine.log.warn({ alert: alert.type, ...alert.data }, alert.subject);
  if (engine.config.alerts.channels.length === 0) return true;
  let delivered = false;
  for (const r of await sendAlert(engine.config.alerts.channels, alert)) {
    engine.metrics.alerts.inc({ channel: r.channel, result: r.ok ? 'sent' : 'failed' });
    if (!r.ok) engine.log.warn({ channel: r.channel, error: r.error }, 'alert not delivered');
    delivered ||= r.ok;
  }
  return delivered;
}
