/**
 * Nodes on one store: heartbeats, a dead node's running jobs released to the others, schedule ticks
 * claimed once across two schedulers (two nodes), and on PostgreSQL the job listener waking a worker and
 * reconnecting after its connection was killed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/config/duration.js';
import { Node, Queue, Scheduler } from '../../src/queue/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';
import type { TestStoreUrl } from '../helpers/db.js';
import { waitFor } from './wait.js';

describe.each(testStoreKinds())('nodes on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;
  let queue: Queue;
  let clock = 1_000_000;

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url, { now: () => clock });
    queue = new Queue(store, { now: () => clock });
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('jobs').execute();
    await store.db.deleteFrom('nodes').execute();
    await store.db.deleteFrom('schedule_ticks').execute();
  });

  it('lists nodes with their running jobs; a node not seen for 15 s is removed and its jobs go to the others', async () => {
    const a = new Node(store.nodes, { id: 'host-a:1:aaaa', runningJobs: () => 1, now: () => clock });
    const b = new Node(store.nodes, { id: 'host-b:2:bbbb', runningJobs: () => 0, now: () => clock });
    await a.beat();
    await b.beat();
    await queue.enqueueMany([{ kind: 'x', payload: 1 }, { kind: 'x', payload: 2 }]);
    const [job] = await queue.claim('host-a:1:aaaa', { limit: 1, leaseMs: 300_000 });
    expect((await store.nodes.list()).map((n) => [n.id, n.runningJobs])).toEqual([
      ['host-a:1:aaaa', 1],
      ['host-b:2:bbbb', 0],
    ]);
    // a is killed; b beats on. After 14 s a is still alive, its job still leased.
    clock += 14_000;
    await b.beat();
    expect(await queue.claim('host-b:2:bbbb', { limit: 5, leaseMs: 300_000 })).toHaveLength(1); // the other job only
    clock += 2_000;
    await b.beat();
    expect((await store.nodes.list()).map((n) => n.id)).toEqual(['host-b:2:bbbb']);
    const reclaimed = await queue.claim('host-b:2:bbbb', { limit: 5, leaseMs: 300_000 });
    expect(reclaimed.map((j) => [j.id, j.attempts])).toEqual([[job!.id, 2]]);
    // a comes back too late: its claim is lost
    expect(await queue.complete(job!)).toBe(false);
  });

  it('a node that stops leaves the list', async () => {
    const a = new Node(store.nodes, { id: 'host-a:1:cccc', runningJobs: () => 0, beatMs: 60_000 });
    await a.start();
    expect((await store.nodes.list()).map((n) => n.id)).toEqual(['host-a:1:cccc']);
    await a.stop();
    expect(await store.nodes.list()).toEqual([]);
  });

  it('each schedule tick fires once across two nodes, racing', async () => {
    const every = parseSchedule('10s')!;
    const schedulers = ['node-1', 'node-2'].map((nodeId) => {
      const s = new Scheduler(new Queue(store), { ticks: { nodes: store.nodes, nodeId } });
      s.add('flow:product', every, { kind: 'flow', payload: { entity: 'product' } });
      return s;
    });
    const fired: (string | undefined)[] = [];
    for (const tickAt of [10_000, 20_000, 30_000]) {
      fired.push(...(await Promise.all(schedulers.map((s) => s.tick('flow:product', tickAt)))));
      // the run of the tick completes before the next one (else dedupe would also hold it back)
      await store.db.updateTable('jobs').set({ state: 'done' }).execute();
    }
    expect(fired.filter((id) => id !== undefined)).toHaveLength(3);
    const ticks = await store.db.selectFrom('schedule_ticks').select(['tick_at']).orderBy('tick_at').execute();
    expect(ticks.map((r) => r.tick_at)).toEqual([10_000, 20_000, 30_000]);
    expect(await store.db.selectFrom('jobs').select('id').execute()).toHaveLength(3);
  });

  it.runIf(kind === 'postgres')('the job listener wakes on an insert by another connection and reconnects after its connection is killed', async () => {
    let wakes = 0;
    const listener = store.listenForJobs(() => (wakes += 1))!;
    try {
      await waitFor(() => listener.connected, 'listener connected');
      const before = wakes;
      await queue.enqueue({ kind: 'x', payload: 1 });
      await waitFor(() => wakes > before, 'a notification after the insert');
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]!.s;
      const killed = await sql<{ ok: boolean }>`select pg_terminate_backend(pid) as ok from pg_stat_activity where query = ${`LISTEN "tandem_jobs:${schema}"`}`.execute(store.db);
      expect(killed.rows.map((r) => r.ok)).toEqual([true]);
      await waitFor(() => listener.reconnects === 1 && listener.connected, 'listener reconnected');
      const after = wakes;
      await queue.enqueue({ kind: 'x', payload: 2 });
      await waitFor(() => wakes > after, 'a notification after the reconnect');
    } finally {
      await listener.stop();
    }
  });

  it.runIf(kind === 'sqlite')('has no listener on SQLite (one process)', () => {
    expect(store.listenForJobs(() => undefined)).toBeUndefined();
  });
});
