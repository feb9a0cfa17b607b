import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import fc from 'fast-check';
import type { RawRequest, WebhookVerdict } from '../../../src/connectors/contract.js';
import { signWebhook, type RestShopConnector } from '../../../src/connectors/rest-shop/index.js';
import { startShop, type ShopFixture } from './harness.js';

const SECRET = 'whsec-test';

/** A receiver like Tandem's webhook endpoint: raw body → connector.verifyWebhook → status. */
async function startReceiver(connector: RestShopConnector): Promise<{ url: string; verdicts: WebhookVerdict[]; close(): Promise<void> }> {
  const verdicts: WebhookVerdict[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      const verdict = connector.verifyWebhook({ method: req.method ?? 'POST', path: req.url ?? '/', headers, body: Buffer.concat(chunks), receivedAt: new Date() });
      verdicts.push(verdict);
      res.writeHead(verdict.ok ? 200 : verdict.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shop`,
    verdicts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function request(body: Buffer | string, headers: Record<string, string | undefined>, receivedAt = new Date()): RawRequest {
  return { method: 'POST', path: '/webhooks/shop', headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body), receivedAt };
}

function signed(body: string, opts: { secret?: string; ts?: number; delivery?: string } = {}): RawRequest {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return request(body, { 'x-tandem-timestamp': String(ts), 'x-tandem-delivery': opts.delivery ?? 'd-1', 'x-tandem-signature': signWebhook(opts.secret ?? SECRET, ts, body) });
}

describe('rest-shop webhooks', () => {
  let shop: ShopFixture;
  let connector: RestShopConnector;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const logLines: Array<{ msg: string; reason?: string; status?: number }> = [];

  beforeAll(async () => {
    shop = await startShop();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()) as { msg: string });
        done();
      },
    });
    connector = shop.connector({}, { log: pino({ level: 'info' }, sink) });
    receiver = await startReceiver(connector);
    shop.sim.seed.products([{ name: 'Sneaker', variants: [{ sku: 'WH-SNK-43', price: '89.00' }] }], { stock: 5 });
  });
  afterAll(async () => {
    await shop.sim.close();
    await receiver.close();
  });

  it('valid signed deliveries from the shop become events (order.created, stock.updated)', async () => {
    shop.sim.setWebhook({ url: receiver.url, secret: SECRET });
    const orderId = await shop.sim.placeOrder({ email: 'wh@example.com', lines: [{ sku: 'WH-SNK-43', quantity: 1 }], paid: true });
    await shop.sim.flushWebhooks();
    const events = receiver.verdicts.flatMap((v) => (v.ok ? v.events : []));
    expect(receiver.verdicts.every((v) => v.ok)).toBe(true);
    const created = events.find((e) => e.entity === 'order');
    expect(created).toMatchObject({ entity: 'order', id: orderId, action: 'created' });
    expect(created!.deliveryId).toBe(shop.sim.state.deliveries.find((d) => d.event === 'order.created')!.deliveryId);
    expect(events.find((e) => e.entity === 'stock')).toMatchObject({ id: 'WH-SNK-43@default', action: 'updated' });
  });

  it('duplicated deliveries carry the same delivery id; dropped ones never arrive', async () => {
    receiver.verdicts.length = 0;
    shop.sim.faults.duplicateWebhookRate = 1;
    await connector.write('stock', [{ kind: 'update', key: 'k', record: { sku: 'WH-SNK-43', location: 'default', onHand: 9, reserved: 0, available: 9 } }], { lookup: () => undefined });
    await shop.sim.flushWebhooks();
    const ids = receiver.verdicts.flatMap((v) => (v.ok ? v.events.map((e) => e.deliveryId) : []));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);

    receiver.verdicts.length = 0;
    shop.sim.faults.duplicateWebhookRate = 0;
    shop.sim.faults.dropWebhookRate = 1;
    await connector.write('stock', [{ kind: 'update', key: 'k', record: { sku: 'WH-SNK-43', location: 'default', onHand: 8, reserved: 0, available: 8 } }], { lookup: () => undefined });
    await shop.sim.flushWebhooks();
    expect(receiver.verdicts).toHaveLength(0);
    expect(shop.sim.state.deliveries.at(-1)).toMatchObject({ event: 'stock.updated', dropped: true });
    shop.sim.faults.dropWebhookRate = 0;
  });

  it('a delivery signed with another secret is refused by the receiver (the shop sees 401)', async () => {
    receiver.verdicts.length = 0;
    shop.sim.setWebhook({ url: receiver.url, secret: 'not-the-secret' });
    await connector.write('stock', [{ kind: 'update', key: 'k', record: { sku: 'WH-SNK-43', location: 'default', onHand: 7, reserved: 0, available: 7 } }], { lookup: () => undefined });
    await shop.sim.flushWebhooks();
    expect(receiver.verdicts.length).toBeGreaterThan(0);
    expect(receiver.verdicts.every((v) => !v.ok && v.status === 401)).toBe(true);
    expect(shop.sim.state.deliveries.at(-1)!.attempts).toEqual([401, 401, 401]);
  });

  const body = JSON.stringify({ event: 'order.updated', data: { id: 17, updated_at: '2026-11-26T10:00:00.000000Z' } });
  const now = Math.floor(Date.now() / 1000);
  const cases: Array<[string, RawRequest, 400 | 401 | 413, RegExp]> = [
    ['wrong secret', signed(body, { secret: 'other' }), 401, /signature does not match/],
    ['missing signature', request(body, { 'x-tandem-timestamp': String(now), 'x-tandem-delivery': 'd' }), 401, /missing x-tandem-signature/],
    ['missing timestamp', request(body, { 'x-tandem-signature': signWebhook(SECRET, now, body), 'x-tandem-delivery': 'd' }), 401, /timestamp/],
    ['timestamp 6 minutes old', signed(body, { ts: now - 360 }), 401, /stale timestamp/],
    ['timestamp 6 minutes in the future', signed(body, { ts: now + 360 }), 401, /stale timestamp/],
    ['malformed JSON (correctly signed)', signed('{"event": "order.updated", "data": {'), 400, /malformed JSON/],
    ['JSON without event', signed('{"data":{"id":1}}'), 400, /event/],
    // the server refuses bodies over server.webhooks.maxBodyBytes (default 8 MiB) first; this is the verifier's ceiling
    ['body over the 32 MiB ceiling', signed(JSON.stringify({ event: 'product.updated', data: { id: 1, blob: 'x'.repeat(32 * 1024 * 1024) } })), 413, /over the 33554432-byte limit/],
  ];

  it.each(cases)('%s → %i, logged with the reason, nothing enqueued', (_name, req, status, reason) => {
    logLines.length = 0;
    const verdict = connector.verifyWebhook(req);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.status).toBe(status);
      expect(verdict.reason).toMatch(reason);
      expect('events' in verdict).toBe(false);
    }
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatchObject({ msg: 'webhook rejected', status });
    expect(logLines[0]!.reason).toMatch(reason);
  });

  it('uses the request clock: 4 minutes of skew either way is accepted, 5 min 1 s is not', () => {
    const base = new Date('2026-11-26T12:00:00Z');
    const ts = Math.floor(base.getTime() / 1000);
    const at = (offset: number) => ({ ...signed(body, { ts }), receivedAt: new Date(base.getTime() + offset * 1000) });
    expect(connector.verifyWebhook(at(240)).ok).toBe(true);
    expect(connector.verifyWebhook(at(-240)).ok).toBe(true);
    expect(connector.verifyWebhook(at(301))).toMatchObject({ ok: false, status: 401 });
    expect(connector.verifyWebhook(at(-301))).toMatchObject({ ok: false, status: 401 });
  });

  it('maps event names to entity + action; unknown entities are acknowledged without events', () => {
    const v = connector.verifyWebhook(signed(JSON.stringify({ event: 'customer.created', data: { id: '42' } }), { delivery: 'abc' }));
    expect(v).toEqual({ ok: true, events: [{ deliveryId: 'abc', entity: 'customer', id: '42', action: 'created', occurredAt: null, payload: { id: '42' } }] });
    const unknown = connector.verifyWebhook(signed(JSON.stringify({ event: 'newsletter.subscribed', data: { id: 1 } })));
    expect(unknown).toEqual({ ok: true, events: [] });
  });

  it('without a configured secret every delivery is refused', () => {
    const c = shop.connector({ webhookSecret: undefined });
    expect(c.verifyWebhook(signed(body))).toMatchObject({ ok: false, status: 401 });
  });

  it('never throws and never yields events for arbitrary unsigned or garbled input (fuzz)', () => {
    const quiet = shop.connector();
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.dictionary(fc.constantFrom('x-tandem-timestamp', 'x-tandem-signature', 'x-tandem-delivery', 'content-type'), fc.string({ maxLength: 80 })),
        (bytes, headers) => {
          const v = quiet.verifyWebhook(request(Buffer.from(bytes), headers));
          expect(v.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    // Correctly signed garbage: a verdict, not an exception; events only for well-formed bodies.
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const v = quiet.verifyWebhook(signed(JSON.stringify(value)));
        if (v.ok) for (const e of v.events) expect(typeof e.id).toBe('string');
        else expect(v.status).toBe(400);
      }),
      { numRuns: 300 },
    );
  });
});
