/**
 * An ERP behind a gateway that answers 429 (Retry-After: 1) whenever more than 3 requests are in flight,
 * and a burst of orders run by a worker pool at its default size (32): the adaptive concurrency limit of
 * the ERP shrinks (it starts at 8), the 429s stop, and every order ends exactly once in the ERP — one
 * confirmed sale order, one posted and paid invoice, one payment — with no dead job. REST shop ⇄ Odoo 17
 * simulators, SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { startRuntime } from '../../src/engine/runtime.js';
import { orderJob } from '../../src/engine/jobs/kinds.js';
import { liveLimits } from '../../src/shared/adaptive-limit.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };
const GATEWAY_MAX = 3;
const ORDERS = 24;

let stack: Stack;
let dir: string;

/** A gateway in front of `target`: more than GATEWAY_MAX requests at once → 429 with Retry-After: 1. */
async function startGateway(target: string): Promise<{ url: string; refused: () => number; close: () => Promise<void> }> {
  const to = new URL(target);
  let inFlight = 0;
  let refused = 0;
  const server: Server = createServer((req, res) => {
    if (inFlight >= GATEWAY_MAX) {
      refused += 1;
      req.resume();
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests');
      return;
    }
    inFlight += 1;
    const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on('end', () => (inFlight -= 1));
    });
    up.on('error', () => {
      inFlight -= 1;
      res.destroy();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, refused: () => refused, close: () => new Promise((r) => server.close(() => r())) };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-429-'));
  stack = await startStack({ shop: 'rest-shop', storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log, config: { orders } as never });
  await seedDemo(stack);
  await syncAll(stack.engine, { kind: 'initial' });
  await stack.engine.erp.stock.setOnHand(['SNK-RUN-42', 'SNK-RUN-43'].map((sku) => ({ sku, location: 'WH/Stock', onHand: 1_000 })));
  stack.restShop!.setWebhook(null);
  await stack.runtime.stop();
});

afterEach(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an ERP that answers 429 under load', () => {
  it('the ERP limit shrinks, the 429s stop, and every order is in the ERP exactly once, invoiced and paid', async () => {
    const gateway = await startGateway(stack.odoo!.url);
    const config = structuredClone(stack.engine.config);
    (config.systems.erp as { url: string }).url = gateway.url;
    const engine: RunningEngine = await createEngine({ config, storeUrl: config.store.url, log });
    const runtime = startRuntime(engine, { schedules: false, pollIntervalMs: 20 }); // the default 32 workers
    let lowest = Infinity;
    const watch = setInterval(() => {
      for (const l of liveLimits()) if (l.system === 'odoo' && l.inFlight > 0) lowest = Math.min(lowest, l.limit);
    }, 2);
    try {
      const ids: string[] = [];
      for (let i = 0; i < ORDERS; i++) {
        ids.push(await stack.restShop!.placeOrder({ email: `burst${i % 6}@example.com`, firstName: 'B', lastName: `Urst${i}`, lines: [{ sku: i % 2 ? 'SNK-RUN-42' : 'SNK-RUN-43', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } }));
      }
      for (const id of ids) await engine.queue.enqueue(orderJob(engine, id, 'webhook'));
      engine.queue.notify();
      // retried jobs wait for their run_at (the Retry-After): drain until nothing is queued or running.
      // Every 429 holds all ERP requests back for its Retry-After (1 s) and the limit probes up again after a
      // while, so the 24 orders take 40–80 s here: a correctness test with room, not a timed one.
      const deadline = Date.now() + 120_000;
      for (;;) {
        await runtime.worker.drain();
        const c = await engine.queue.counts();
        if (((c.queued ?? 0) + (c.running ?? 0) === 0) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const counts = await engine.queue.counts();
      expect(counts.dead ?? 0).toBe(0);
      expect(gateway.refused()).toBeGreaterThan(0);
      expect(lowest).toBeLessThanOrEqual(4); // started at 8, halved at least once

      const env = stack.odoo!.env;
      for (const id of ids) {
        const number = stack.restShop!.state.order(id)!.number;
        const so = env.read('sale.order', env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]]), ['name', 'state']);
        expect(so.map((o) => o.state), `order ${number}`).toEqual(['sale']);
        const inv = env.read('account.move', env.search('account.move', [['invoice_origin', '=', String(so[0]!.name)], ['move_type', '=', 'out_invoice']]), ['state', 'payment_state']);
        expect(inv.map((m) => `${String(m.state)}/${String(m.payment_state)}`), `invoice of ${number}`).toEqual(['posted/paid']);
      }
      expect(env.search('account.payment', [])).toHaveLength(ORDERS);
    } finally {
      clearInterval(watch);
      await runtime.stop({ timeoutMs: 10_000 });
      await engine.close();
      await gateway.close();
    }
  }, 150_000);
});
