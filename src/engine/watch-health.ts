/**
 * Operator alerts besides low stock: new dead letters (something needs a person) and shop webhooks the
 * shop had disabled (events were missed; Tandem re-enabled them and polls). Sent through the configured
 * alert channels; remembered in the store so a restart does not repeat them.
 */
import type { Engine } from './context.js';
import { notify } from './alerts/notify.js';

const SEEN_KEY = 'alerts:dead-letters';

/** Alerts once about dead letters that appeared since the last check. Returns how many were new. */
export async function alertNewDeadLetters(engine: Engine): Promise<number> {
  const seen = Number((await engine.store.cursors.get(SEEN_KEY)) ?? 0);
  const dead = (await engine.queue.list({ state: 'dead', limit: 1000 })).filter((j) => Number(j.id) > seen);
  if (dead.length === 0) return 0;
  const lines = dead.slice(0, 20).map((j) => `#${j.id} ${j.kind} ${j.key ?? ''}: ${j.lastError?.message ?? ''}`);
  const delivered = await notify(engine, {
    type: 'dead_letters',
    subject: `${dead.length} new dead letter(s)`,
    text: `These jobs failed for good and wait for you (tandem dlq list / the dashboard):\n${lines.join('\n')}${dead.length > 20 ? `\n… and ${dead.length - 20} more` : ''}\n`,
    data: { count: dead.length, jobs: dead.slice(0, 20).map((j) => ({ id: j.id, kind: j.kind, key: j.key, error: j.lastError?.message ?? null })) },
    at: engine.now().toISOString(),
  });
  if (delivered) await engine.store.cursors.set(SEEN_KEY, Math.max(...dead.map((j) => Number(j.id))));
  return dead.length;
}

export async function alertWebhooksRepaired(engine: Engine): Promise<void> {
  await notify(engine, {
    type: 'webhooks_disabled',
    subject: `${engine.names.shop} had disabled or lost Tandem's webhooks`,
    text: `Tandem re-registered its webhooks in ${engine.names.shop} and polls now to catch up with the events that were missed.\n`,
    data: { system: engine.names.shop },
    at: engine.now().toISOString(),
  });
}
