/** GET /api/nodes: the nodes of the store with their running jobs, for a viewer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Node } from '../../src/queue/index.js';
import { createTestStoreUrl, type TestStoreUrl } from '../helpers/db.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('GET /api/nodes', () => {
  let store: TestStoreUrl;
  let t: TestServer;

  beforeAll(async () => {
    store = await createTestStoreUrl('sqlite');
    t = await startTestServer(store.url);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('lists every node with host, pid, heartbeat and running jobs', async () => {
    const a = new Node(t.engine.store.nodes, { id: 'host-a:11:aaaa', runningJobs: () => 3 });
    await a.beat();
    const res = await fetch(`${t.url}/api/nodes`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { nodes: { id: string; pid: number; runningJobs: number; lastSeen: string }[] };
    expect(body.nodes).toEqual([expect.objectContaining({ id: 'host-a:11:aaaa', pid: process.pid, runningJobs: 3 })]);
    expect(Date.parse(body.nodes[0]!.lastSeen)).toBeGreaterThan(Date.now() - 60_000);
  });
});
