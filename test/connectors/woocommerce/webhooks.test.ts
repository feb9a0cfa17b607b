/**
 * Webhook verification against the 31 recorded WooCommerce deliveries (28 signed events + 3 pings),
 * bad requests, and the webhook manager against the simulator (create, disable after failures, repair).
 */
import { pathToFileURL } from 'node:url';
import { recordingPath } from '../../helpers/recordings.js';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { verifyWooWebhook } from '../../../src/connectors/woocommerce/index.js';
import { MAX_WEBHOOK_BODY_BYTES } from '../../../src/connectors/contract.js';
import type { RawRequest } from '../../../src/connectors/contract.js';
import { connectorFor } from './harness.js';
import { startWooSimulator, type WooSimulator } from '../../../src/simulators/index.js';

const FILE = pathToFileURL(recordingPath('woocommerce79', 'flows', '09_webhook_deliveries.jsonl'));

interface Delivery {
  seq: number;
  path: string;
  headers: Record<string, string>;
  body_raw: string;
  webhook_secret: string;
  signature_header: string | null;
  body_json: { id?: number; type?: string; parent_id?: number } | null;
}

const deliveries: Delivery[] = readFileSync(FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Delivery);

function raw(d: { headers: Record<string, string>; body: Buffer }): RawRequest {
  const headers = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', path: '/webhooks/woocommerce', headers, body: d.body, receivedAt: new Date() };
}

describe('recorded WooCommerce 7.9 deliveries', () => {
  const secret = deliveries[0]!.webhook_secret;
  const signed = deliveries.filter((d) => d.signature_header);
  const pings = deliveries.filter((d) => !d.signature_header);

  it('has 28 signed deliveries and 3 pings', () => {
    expect(signed).toHaveLength(28);
    expect(pings).toHaveLength(3);
  });

  it('every signed delivery verifies with the recorded secret and becomes one event', () => {
    const ids = new Set<string>();
    for (const d of signed) {
      const v = verifyWooWebhook(secret, raw({ headers: d.headers, body: Buffer.from(d.body_raw, 'utf8') }));
      expect(v.ok, `delivery ${d.seq}`).toBe(true);
      if (!v.ok || v.ping) continue;
      expect(v.events).toHaveLength(1);
      const e = v.events[0]!;
      const [resource] = d.headers['X-WC-Webhook-Topic']!.split('.');
      expect(e.entity).toBe(resource);
      // Variations are reported as a change of their parent product.
      expect(e.id).toBe(String(d.body_json?.type === 'variation' ? d.body_json.parent_id : d.body_json?.id));
      ids.add(e.deliveryId);
    }
    // X-WC-Webhook-Delivery-ID repeats within one second; the event ids must not.
    expect(new Set(signed.map((d) => d.headers['X-WC-Webhook-Delivery-ID'])).size).toBeLessThan(28);
    expect(ids.size).toBe(28);
  });

  it('the same delivery twice gets the same delivery id (the inbox dedupes it)', () => {
    const d = signed[5]!;
    const a = verifyWooWebhook(secret, raw({ headers: d.headers, body: Buffer.from(d.body_raw) }));
    const b = verifyWooWebhook(secret, raw({ headers: d.headers, body: Buffer.from(d.body_raw) }));
    expect(a.ok && b.ok && !a.ping && !b.ping && a.events[0]!.deliveryId === b.events[0]!.deliveryId).toBe(true);
  });

  it('recognises the 3 unsigned creation pings', () => {
    for (const d of pings) {
      const v = verifyWooWebhook(secret, raw({ headers: d.headers, body: Buffer.from(d.body_raw) }));
      expect(v).toEqual({ ok: true, events: [], ping: true });
    }
  });

  it('refuses a flipped byte, a wrong secret and a missing signature with 401', () => {
    const d = signed[0]!;
    const body = Buffer.from(d.body_raw);
    const flipped = Buffer.from(body);
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyWooWebhook(secret, raw({ headers: d.headers, body: flipped }))).toMatchObject({ ok: false, status: 401 });
    expect(verifyWooWebhook('other-secret', raw({ headers: d.headers, body }))).toMatchObject({ ok: false, status: 401 });
    const { 'X-WC-Webhook-Signature': _s, ...unsigned } = d.headers;
    expect(verifyWooWebhook(secret, raw({ headers: unsigned, body }))).toMatchObject({ ok: false, status: 401 });
    expect(verifyWooWebhook(undefined, raw({ headers: d.headers, body }))).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 400 to malformed JSON (correctly signed) and 413 to a body over the hard ceiling', () => {
    const bad = Buffer.from('{"id": 1,');
    const sig = (b: Buffer) => ({ ...signed[0]!.headers, 'X-WC-Webhook-Signature': createSig(secret, b) });
    expect(verifyWooWebhook(secret, raw({ headers: sig(bad), body: bad }))).toMatchObject({ ok: false, status: 400 });
    const big = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20);
    expect(verifyWooWebhook(secret, raw({ headers: sig(big), body: big }))).toMatchObject({ ok: false, status: 413 });
  });
});

describe('what a delivery means comes from its signed body, never from the unsigned headers', () => {
  const secret = deliveries[0]!.webhook_secret;
  const signed = deliveries.filter((d) => d.signature_header);
  const order = signed.find((d) => d.headers['X-WC-Webhook-Topic'] === 'order.updated')!;
  const product = signed.find((d) => d.headers['X-WC-Webhook-Topic'] === 'product.updated')!;
  const verify = (d: Delivery, topic: string, body = Buffer.from(d.body_raw)) =>
    verifyWooWebhook(secret, raw({ headers: { ...d.headers, 'X-WC-Webhook-Topic': topic, 'X-WC-Webhook-Signature': createSig(secret, body) }, body }));

  it.each([
    ['an order body re-labelled product.updated', () => verify(order, 'product.updated'), { entity: 'order', action: 'updated' }],
    ['an order body re-labelled customer.deleted', () => verify(order, 'customer.deleted'), { entity: 'order', action: 'updated' }],
    ['a product body re-labelled order.created', () => verify(product, 'order.created'), { entity: 'product', action: 'created' }],
    ['a product body re-labelled product.deleted', () => verify(product, 'product.deleted'), { entity: 'product', action: 'updated' }],
    ['an id-only body (a deletion) keeps the topic resource', () => verify(order, 'order.deleted', Buffer.from('{"id":77}')), { entity: 'order', id: '77', action: 'deleted' }],
    ['an id-only body is a deletion whatever the topic event', () => verify(order, 'product.updated', Buffer.from('{"id":78}')), { entity: 'product', id: '78', action: 'deleted' }],
  ])('%s', (_name, run, want) => {
    const v = run();
    expect(v.ok && !v.ping && v.events[0]).toMatchObject(want);
  });

  it('a body of no known resource with a known topic is acknowledged and ignored', () => {
    const body = Buffer.from('{"id":5,"foo":"bar"}');
    expect(verify(order, 'order.updated', body)).toEqual({ ok: true, events: [] });
  });
});

function createSig(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

describe('webhook manager against the simulator', () => {
  let sim: WooSimulator;
  let receiver: ReturnType<typeof createServer>;
  let receiverUrl = '';
  let answer = 200;
  const received: RawRequest[] = [];

  beforeAll(async () => {
    sim = await startWooSimulator();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: 'POST', path: req.url ?? '', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks), receivedAt: new Date() });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/shop`;
  });
  afterAll(async () => {
    await sim.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('ensure creates the Tandem webhooks (each pinged), then reports them ok', async () => {
    const c = connectorFor(sim, 'basic');
    const first = await c.webhooks.ensure(receiverUrl, ['order.updated', 'product.updated']);
    expect(first.created.map((w) => w.topic)).toEqual(['order.updated', 'product.updated']);
    const pings = received.filter((r) => r.body.toString().startsWith('webhook_id='));
    expect(pings).toHaveLength(2);
    for (const p of pings) expect(c.verifyWebhook!(p)).toMatchObject({ ok: true, ping: true });
    const again = await c.webhooks.ensure(receiverUrl, ['order.updated', 'product.updated']);
    expect(again.created).toHaveLength(0);
    expect(again.ok).toHaveLength(2);
    expect(again.catchUp).toBe(false);
  });

  it('deliveries are signed with the configured secret and verify through the connector', async () => {
    const c = connectorFor(sim, 'basic');
    sim.seedProducts(1, { prefix: 'WH' });
    const [res] = await c.write('stock', [{ kind: 'update', key: 'WH-0@default', record: { sku: 'WH-0', location: 'default', onHand: 4, reserved: 0, available: 4 } }], { lookup: () => undefined });
    expect(res!.ok).toBe(true);
    const delivery = received.at(-1)!;
    expect(delivery.headers['x-wc-webhook-topic']).toBe('product.updated');
    const v = c.verifyWebhook!(delivery);
    expect(v.ok && !v.ping && v.events[0]!.entity === 'product').toBe(true);
  });

  it('the simulator disables a webhook after repeated failures; ensure re-enables it and asks for a catch-up poll', async () => {
    const c = connectorFor(sim, 'basic');
    answer = 500;
    const id = sim.store.productBySku('WH-0')!.id;
    let n = 0;
    const hook = () => [...sim.store.webhooks.values()].find((w) => w.topic === 'product.updated')!;
    while (hook().status === 'active' && n < 20) {
      await c.write('stock', [{ kind: 'update', key: 'WH-0@default', record: { sku: 'WH-0', location: 'default', onHand: n, reserved: 0, available: n } }], { lookup: () => undefined });
      n += 1;
    }
    // WC_Webhook::failed_delivery(): disabled on the failure that finds failure_count already above 5.
    expect(n).toBe(7);
    expect(sim.deliveries.filter((d) => d.resourceId === id && !d.ok).length).toBe(7);
    const status = await c.webhooks.list();
    expect(status.find((w) => w.topic === 'product.updated')?.status).toBe('disabled');
    answer = 200;
    const report = await c.webhooks.ensure(receiverUrl, ['order.updated', 'product.updated']);
    expect(report.disabled.map((w) => w.topic)).toEqual(['product.updated']);
    expect(report.reactivated.map((w) => w.status)).toEqual(['active']);
    expect(report.catchUp).toBe(true);
    const check = await c.check({ entities: {} });
    expect(check.ok).toBe(true);
  });

  it('status reads each expected registration: active, disabled, paused, missing, elsewhere — and writes nothing', async () => {
    const c = connectorFor(sim, 'basic');
    const topics = ['order.created', 'order.updated', 'product.updated', 'customer.created', 'customer.updated'];
    await c.webhooks.ensure(receiverUrl, topics);
    const hook = (topic: string) => [...sim.store.webhooks.values()].find((w) => w.topic === topic && w.name.startsWith('Tandem: '))!;
    hook('order.updated').status = 'disabled';
    hook('customer.created').status = 'paused';
    hook('customer.updated').deliveryUrl = 'https://old.example.com/webhooks/shop';
    const deleted = hook('product.updated').id;
    sim.store.webhooks.delete(deleted);
    const before = JSON.stringify([...sim.store.webhooks.values()]);
    const status = await c.webhooks.status(receiverUrl, topics);
    expect(status.map((r) => `${r.topic}: ${r.state}${r.pointsHere ? '' : ' elsewhere'}`)).toEqual([
      'order.created: active',
      'order.updated: disabled',
      'product.updated: missing elsewhere',
      'customer.created: paused',
      'customer.updated: active elsewhere',
    ]);
    expect(status[1]).toEqual({ topic: 'order.updated', deliveryUrl: receiverUrl, state: 'disabled', remoteId: String(hook('order.updated').id), pointsHere: true });
    expect(status[2]).toEqual({ topic: 'product.updated', deliveryUrl: receiverUrl, state: 'missing', remoteId: null, pointsHere: false });
    expect(status[4]!.deliveryUrl).toBe('https://old.example.com/webhooks/shop');
    expect(JSON.stringify([...sim.store.webhooks.values()])).toBe(before);
    // Repair stays the action: afterwards every registration is active and points here.
    await c.webhooks.ensure(receiverUrl, topics);
    expect((await c.webhooks.status(receiverUrl, topics)).every((r) => r.state === 'active' && r.pointsHere)).toBe(true);
  });
});
