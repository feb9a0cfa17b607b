/**
 * Fuzzing every webhook endpoint through the HTTP server (REST shop and WooCommerce, plus systems that
 * take no webhooks): missing, malformed and wrong signatures, stale and absurd timestamps, invalid JSON,
 * deep nesting, non-UTF-8 bytes, huge bodies, absurd values in correctly signed bodies. The server
 * answers every request below 500, an invalid request leaves no inbox row and no job, and memory stays
 * bounded. fast-check shrinks any failure to its smallest request.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { createTestStoreUrl } from '../helpers/db.js';
import type { TestStoreUrl } from '../helpers/db.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const SECRET = 'hook-secret';
const RUNS = 150;
let requests = 0;

interface Fuzzed {
  body: Buffer;
  headers: Record<string, string>;
}

const nested = (depth: number) => `{"event":"product.updated","data":{"id":"1","x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => Buffer.concat([Buffer.from('{"event":"product.updated","data":{"id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(b), Buffer.from('"}}')]));
/** Bodies that are not a valid delivery whatever their signature. */
const badBody = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 500 }).map((s) => Buffer.from(s)),
  fc.integer({ min: 65, max: 20_000 }).map((d) => Buffer.from(nested(d))),
  invalidUtf8,
  fc.constantFrom('', '{', 'null', '[]', '"x"', '{"event":"product.updated"}', '{"data":{"id":1}}', '{"event":"product.updated","data":{}}', '{"id":null}').map((s) => Buffer.from(s)),
);
/** Correctly shaped bodies with absurd values (may be accepted: they must never break the server). */
const absurdBody = fc
  .record({
    event: fc.oneof(fc.constantFrom('product.updated', 'order.created', 'customer.deleted', 'stock.updated', 'category.updated', 'x.y'), fc.string({ maxLength: 40 })),
    id: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.double(), fc.constantFrom('../../etc/passwd', '1?x=1#y', '__proto__', 'constructor', '%00', '\u0000', '9'.repeat(400))),
    extra: fc.jsonValue({ maxDepth: 6 }),
  })
  .map(({ event, id, extra }) => Buffer.from(JSON.stringify({ event, occurred_at: '2026-12-01T10:00:00Z', data: { id, sku: id, extra } })));

const timestamp = fc.oneof(fc.constantFrom('', 'abc', '-1', '1e9', '99999999999999999999', '0'), fc.integer({ min: -1e6, max: 1e6 }).map((d) => String(Math.floor(Date.now() / 1000) + 400 + Math.abs(d))));

/** A REST-shop delivery that can never verify: missing/garbled/foreign signature, or a stale/absurd timestamp. */
const unverifiableRest = fc.record({ body: fc.oneof(badBody, absurdBody), kind: fc.constantFrom('missing', 'garbage', 'other-secret', 'stale'), ts: timestamp, garbage: fc.string({ maxLength: 100 }) }).map(({ body, kind, ts, garbage }): Fuzzed => {
  const now = String(Math.floor(Date.now() / 1000));
  const h: Record<string, string> = { 'content-type': 'application/json', 'x-tandem-delivery': 'fuzz' };
  if (kind === 'garbage') Object.assign(h, { 'x-tandem-timestamp': now, 'x-tandem-signature': garbage.replace(/[^\x20-\x7e]/g, '') || 'x' });
  if (kind === 'other-secret') Object.assign(h, { 'x-tandem-timestamp': now, 'x-tandem-signature': signWebhook('not-the-secret', now, body) });
  if (kind === 'stale') Object.assign(h, { 'x-tandem-timestamp': ts || '0', 'x-tandem-signature': signWebhook(SECRET, ts || '0', body) });
  return { body, headers: h };
});
const signedRest = (body: fc.Arbitrary<Buffer>) =>
  body.map((b): Fuzzed => {
    const ts = String(Math.floor(Date.now() / 1000));
    return { body: b, headers: { 'content-type': 'application/json', 'x-tandem-timestamp': ts, 'x-tandem-delivery': 'fuzz', 'x-tandem-signature': signWebhook(SECRET, ts, b) } };
  });

const wooSig = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('base64');
const topic = fc.oneof(fc.constantFrom('order.created', 'product.updated', 'customer.deleted', 'action.woocommerce_x'), fc.string({ maxLength: 30 }));
const unverifiableWoo = fc.record({ body: fc.oneof(badBody, absurdBody), kind: fc.constantFrom('missing', 'garbage', 'other-secret'), topic, garbage: fc.base64String({ maxLength: 60 }) }).map(({ body, kind, topic: t, garbage }): Fuzzed => {
  const h: Record<string, string> = { 'content-type': 'application/json', 'x-wc-webhook-topic': t.replace(/[^\x20-\x7e]/g, ''), 'x-wc-webhook-delivery-id': 'fuzz' };
  if (kind === 'garbage') h['x-wc-webhook-signature'] = garbage || 'AAAA';
  if (kind === 'other-secret') h['x-wc-webhook-signature'] = wooSig('not-the-secret', body);
  return { body, headers: h };
});
const signedWoo = (body: fc.Arbitrary<Buffer>) => fc.tuple(body, topic).map(([b, t]): Fuzzed => ({ body: b, headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': t.replace(/[^\x20-\x7e]/g, ''), 'x-wc-webhook-signature': wooSig(SECRET, b) } }));

describe.each(['rest-shop', 'woocommerce'] as const)('fuzzing /webhooks/* of a %s shop', (shop) => {
  let store: TestStoreUrl;
  let t: TestServer;
  beforeAll(async () => {
    store = await createTestStoreUrl('sqlite');
    const systems =
      shop === 'woocommerce'
        ? { shop: { type: 'woocommerce', url: 'http://127.0.0.1:9/shop', consumerKey: 'ck_fuzz', consumerSecret: 'cs_fuzz', webhookSecret: SECRET }, erp: { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'odoo-key' } }
        : undefined;
    t = await startTestServer(store.url, {
      ...(systems && { systems }),
      flows: [
        { entity: 'product', direction: 'shop->erp' },
        { entity: 'customer', direction: 'shop->erp' },
        { entity: 'order', direction: 'shop->erp' },
      ],
    } as never);
  });
  afterAll(async () => {
    await t?.close();
    await store?.cleanup();
  });

  const rows = async () => ({
    inbox: Number((await t.engine.store.db.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    jobs: Number((await t.engine.store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });
  const send = async (path: string, r: Fuzzed): Promise<number> => {
    requests += 1;
    const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: r.headers, body: r.body });
    await res.arrayBuffer();
    return res.status;
  };
  const unverifiable = shop === 'woocommerce' ? unverifiableWoo : unverifiableRest;
  const signed = shop === 'woocommerce' ? signedWoo : signedRest;

  it('a request that cannot verify is a 4xx and leaves no row', async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(unverifiable, async (r) => {
        const status = await send('/webhooks/shop', r);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    expect(await rows()).toEqual(before);
  });

  it('a correctly signed body that is not a delivery (invalid, deep, non-UTF-8, empty) is a 4xx and leaves no row', async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(signed(badBody), async (r) => {
        const status = await send('/webhooks/shop', r);
        expect(status === 200 || (status >= 400 && status < 500), `status ${status}`).toBe(true);
        // some random bodies happen to be a WooCommerce ping (webhook_id=N) or a signed id-only body: acknowledged, nothing kept
      }),
      { numRuns: RUNS },
    );
    const after = await rows();
    expect(after.jobs).toBe(before.jobs);
    if (shop === 'rest-shop') expect(after.inbox).toBe(before.inbox);
  });

  it('correctly signed bodies with absurd values never get a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(signed(absurdBody), async (r) => {
        const status = await send('/webhooks/shop', r);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it('systems that take no webhooks and unknown systems: 4xx (404; "/webhooks/.." is "/": 405), no row', async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/webhooks/erp', '/webhooks/nosuch', '/webhooks/%2e%2e', '/webhooks/__proto__'), signed(fc.oneof(badBody, absurdBody)), async (path, r) => {
        expect(await send(path, r)).toBe(path.includes('%2e') ? 405 : 404);
      }),
      { numRuns: 50 },
    );
    expect(await rows()).toEqual(before);
  });

  it('a body over the limit is 413 without being read whole; memory stays bounded over the whole run', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const huge = Buffer.alloc(8 * 1024 * 1024 + 1, 0x7b);
    // refused from its Content-Length: 413, or the connection closed while the client still sends (EPIPE)
    for (let i = 0; i < 5; i++) expect(String(await send('/webhooks/shop', { body: huge, headers: { 'content-type': 'application/json' } }).catch(() => 'reset'))).toMatch(/^(413|reset)$/);
    await fc.assert(fc.asyncProperty(unverifiable, async (r) => void (await send('/webhooks/shop', r))), { numRuns: RUNS });
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(grownMb).toBeLessThan(64);
    console.info(`${shop}: ${requests} fuzzed requests so far, heap grew ${grownMb.toFixed(1)} MB in the last ${RUNS + 5}`);
  });
});
