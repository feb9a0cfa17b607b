/**
 * GET /api/events — server-sent events for the console: `event: change` with the topic that changed
 * (`jobs`, `runs`, `orders`, `audit`), so pages reload only what changed instead of polling. One watcher
 * per engine reads a few maxima and counts from the store every `EVENT_POLL_MS` while anyone listens.
 */
import type { ServerResponse } from 'node:http';
import type { Engine } from '../engine/context.js';
import type { Reply, RequestContext } from './route-table.js';

export const EVENT_POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;

interface Watcher {
  clients: Set<ServerResponse>;
  last: Record<string, string>;
  timer: NodeJS.Timeout | null;
  beats: number;
}
const watchers = new WeakMap<Engine, Watcher>();

async function signatures(engine: Engine): Promise<Record<string, string>> {
  const db = engine.store.db;
  const [jobs, runs, orders, audit, running] = await Promise.all([
    db.selectFrom('jobs').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('updated_at').as('at')]).executeTakeFirst(),
    db.selectFrom('runs').select([(eb) => eb.fn.max('id').as('id'), (eb) => eb.fn.max('finished_at').as('at')]).executeTakeFirst(),
    db.selectFrom('orders').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('updated_at').as('at')]).executeTakeFirst(),
    db.selectFrom('audit').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
    db.selectFrom('runs').select(['id', 'counts']).where('status', '=', 'running').execute(),
  ]);
  return { jobs: `${jobs?.n}:${jobs?.at}`, runs: `${runs?.id}:${runs?.at}:${JSON.stringify(running)}`, orders: `${orders?.n}:${orders?.at}`, audit: `${audit?.id}` };
}

async function tick(engine: Engine, w: Watcher): Promise<void> {
  const now = await signatures(engine);
  for (const [topic, sig] of Object.entries(now)) {
    if (w.last[topic] !== undefined && w.last[topic] !== sig) for (const c of w.clients) c.write(`event: change\ndata: ${topic}\n\n`);
  }
  w.last = now;
  if (++w.beats * EVENT_POLL_MS >= HEARTBEAT_MS) {
    w.beats = 0;
    for (const c of w.clients) c.write(': still here\n\n');
  }
}

function watch(engine: Engine, res: ServerResponse): void {
  let w = watchers.get(engine);
  if (!w) watchers.set(engine, (w = { clients: new Set(), last: {}, timer: null, beats: 0 }));
  const watcher = w;
  watcher.clients.add(res);
  const warn = (err: unknown) => engine.log.warn({ err: (err as Error).message }, 'live updates: could not read the store');
  if (!watcher.timer) {
    watcher.timer = setInterval(() => tick(engine, watcher).catch(warn), EVENT_POLL_MS);
    // the baseline before the first byte: the console reloads its page when the stream opens, so no change falls between
    void signatures(engine)
      .then((s) => (watcher.last = { ...s, ...watcher.last }))
      .catch(warn)
      .finally(() => res.write('retry: 3000\n\n'));
  } else res.write('retry: 3000\n\n');
  res.on('close', () => {
    watcher.clients.delete(res);
    if (!watcher.clients.size && watcher.timer) {
      clearInterval(watcher.timer);
      watcher.timer = null;
      watcher.last = {};
    }
  });
}

export function events(c: RequestContext): Reply {
  return { body: '', type: 'text/event-stream; charset=utf-8', headers: { 'cache-control': 'no-store', 'x-accel-buffering': 'no' }, stream: (res) => watch(c.engine, res) };
}
