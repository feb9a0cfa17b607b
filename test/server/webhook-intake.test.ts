/**
 * Webhook intake limits and de-duplication, through the HTTP server: a replayed signed body is one inbox
 * row whatever its (unsigned) delivery header says; non-UTF-8 bodies are 400, JSON nested deeper than 64
 * is 422 logged at warn; a 10,000-line order (~1.6 MB) is accepted under the 8 MiB default and a body over
 * server.webhooks.maxBodyBytes is 413; the retention job deletes deliveries past the de-dup window.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { runRetention } from '../../src/server/run-retention.js';
import { testStoreUrls } from '../helpers/db.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const stores = await testStoreUrls();
afterAll(() => Promise.all(stores.map((s) => s.cleanup())));

const SECRET = 'hook-secret';

describe.each(stores)('webhook intake on $name', ({ url: storeUrl }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(storeUrl, {
      flows: [
        { entity: 'product', direction: 'shop->erp' },
        { entity: 'order', direction: 'shop->erp' },
      ],
      server: { webhooks: { maxBodyBytes: 4 * 1024 * 1024 } },
    } as never);
  });
  afterAll(() => t?.close());

  const post = async (body: Buffer | string, delivery = `d-${randomUUID()}`) => {
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${t.url}/webhooks/shop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tandem-timestamp': String(ts), 'x-tandem-delivery': delivery, 'x-tandem-signature': signWebhook(SECRET, ts, body) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const inboxRows = async (recordId: string) => (await t.engine.store.inbox.list({ recordId })).length;

  it('a replayed signed body is one delivery, whatever delivery id header it comes with', async () => {
    const body = JSON.stringify({ event: 'product.updated', occurred_at: '2026-12-01T10:00:00Z', data: { id: 'p-replay' } });
    expect((await post(body, 'a')).body).toMatchObject({ accepted: 1 });
    for (const d of ['a', 'b', 'c', 'd']) expect((await post(body, d)).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await inboxRows('p-replay')).toBe(1);
    // a later change of the same record is a new body: a new delivery
    const later = JSON.stringify({ event: 'product.updated', occurred_at: '2026-12-01T10:05:00Z', data: { id: 'p-replay' } });
    expect((await post(later, 'a')).body).toMatchObject({ accepted: 1 });
    expect(await inboxRows('p-replay')).toBe(2);
  });

  it('the same delivery posted 8 times at once: one inbox row, processed, with the one job it enqueued', async () => {
    for (const [event, id] of [['product.updated', 'p-burst'], ['order.created', '9901']] as const) {
      const body = JSON.stringify({ event, occurred_at: '2026-12-01T11:00:00Z', data: { id } });
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(body)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.reduce((n, a) => n + Number(a.body.accepted), 0), event).toBe(1);
      expect(answers.reduce((n, a) => n + Number(a.body.duplicates), 0), event).toBe(7);
      const rows = await t.engine.store.inbox.list({ recordId: id });
      expect(rows, event).toHaveLength(1);
      expect(rows[0]!.processedAt, event).not.toBeNull();
      const jobs = (await t.engine.queue.list({ limit: 10_000 })).filter((j) => JSON.stringify(j.payload).includes(`"${id}"`));
      expect(jobs.map((j) => j.id), event).toEqual([rows[0]!.jobId]);
    }
  });

  it('a body that is not UTF-8 is 400, and leaves no inbox row', async () => {
    const bad = Buffer.concat([Buffer.from('{"event":"product.updated","data":{"id":"p-utf8","name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}')]);
    expect((await post(bad)).status).toBe(400);
    expect(await inboxRows('p-utf8')).toBe(0);
  });

  it('JSON nested deeper than 64 is 422, logged at warn; 64 deep is fine', async () => {
    const warn = vi.spyOn(t.engine.log, 'warn');
    const error = vi.spyOn(t.engine.log, 'error');
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const deep = `{"event":"product.updated","data":{"id":"p-deep","x":${nest(10_000)}}}`;
    const res = await post(deep);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/nested deeper than 64/);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status: 422 }), 'webhook rejected');
    expect(error).not.toHaveBeenCalled();
    expect(await inboxRows('p-deep')).toBe(0);
    // brackets inside strings do not count; 62 levels plus the two objects is exactly 64
    const ok = `{"event":"product.updated","data":{"id":"p-deep-ok","s":"${'['.repeat(500)}","x":${nest(62)}}}`;
    expect((await post(ok)).status).toBe(200);
    warn.mockRestore();
    error.mockRestore();
  });

  it('a 10,000-line order is accepted; a body over maxBodyBytes is 413', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => ({ id: i + 1, sku: `SKU-${i}`, name: `Line ${i} of a very large order`, quantity: 1, price: '1.00', total: '1.00' }));
    const body = JSON.stringify({ event: 'order.created', occurred_at: '2026-12-01T10:00:00Z', data: { id: 'o-big', number: 'BIG-1', currency: 'EUR', lines } });
    expect(body.length).toBeGreaterThan(1_000_000);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1 });
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    // refused from its Content-Length: 413, or the connection closed while the client still sends (EPIPE)
    expect(String(await post(huge).then((r) => r.status, () => 'reset'))).toMatch(/^(413|reset)$/);
  });

  it('the retention job deletes deliveries older than server.webhooks.dedupeWindow (7 days)', async () => {
    const old = Date.now() - 8 * 86_400_000;
    await t.engine.store.inbox.record({ system: 'shop', deliveryId: 'sha256:old', entity: 'product', recordId: 'p-old', action: 'updated', payload: null, receivedAt: old });
    await t.engine.store.inbox.record({ system: 'shop', deliveryId: 'sha256:recent', entity: 'product', recordId: 'p-recent', action: 'updated', payload: null, receivedAt: Date.now() - 6 * 86_400_000 });
    await runRetention(t.engine);
    expect(await inboxRows('p-old')).toBe(0);
    expect(await inboxRows('p-recent')).toBe(1);
  });
});
