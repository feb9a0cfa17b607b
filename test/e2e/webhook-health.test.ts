/**
 * Issue 11 item 8: the webhook check alerts only on a real loss (not on the first start, which only
 * registers Tandem's webhooks), and polls the orders while the webhooks are down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { maintainWebhooks } from '../../src/engine/maintain-webhooks.js';
import { ServerConfig } from '../../src/config/server-config.js';

let receiver: Server;
const alerts: Array<{ type: string }> = [];
let stack: Stack;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as { type: string });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  stack = await startStack({
    shop: 'woocommerce',
    storeUrl: 'sqlite::memory:',
    log: pino({ level: 'silent' }),
    webhooks: false,
    config: { alerts: { channels: [{ type: 'webhook', url, secret: 's' }] }, server: { publicUrl: 'http://127.0.0.1:9' } } as never,
  });
});

afterAll(async () => {
  await stack.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

/** One check; `polledOrders` = an order poll was really enqueued. */
const check = async () => {
  const queued: string[] = [];
  const enqueue = stack.engine.queue.enqueue.bind(stack.engine.queue);
  stack.engine.queue.enqueue = (async (job: { key?: string }) => {
    queued.push(String(job.key));
    return enqueue(job as never);
  }) as typeof stack.engine.queue.enqueue;
  let lost: boolean;
  try {
    const r = await maintainWebhooks(stack.engine);
    expect(r.polledOrders).toBe(queued.some((k) => k.includes('flow:order')));
    lost = r.lost;
  } finally {
    stack.engine.queue.enqueue = enqueue;
  }
  await stack.runtime.worker.drain();
  return { lost, polledOrders: queued.some((k) => k.includes('flow:order')), alerts: alerts.length };
};

describe('webhook health in tandem serve', () => {
  it('is checked every minute by default', () => {
    expect(ServerConfig.parse({}).webhookCheck).toBe('1m');
  });

  it('the first start only registers the webhooks: no alert', async () => {
    expect(stack.woo!.store.webhooks.size).toBe(0);
    expect(await check()).toEqual({ lost: false, polledOrders: true, alerts: 0 });
    expect([...stack.woo!.store.webhooks.values()].every((w) => w.status === 'active')).toBe(true);
    expect(await check()).toEqual({ lost: false, polledOrders: false, alerts: 0 });
  });

  it('webhooks disabled by the shop: re-enabled, one alert, orders polled until a check finds them healthy', async () => {
    for (const w of stack.woo!.store.webhooks.values()) if (w.topic === 'order.created') w.status = 'disabled';
    expect(await check()).toEqual({ lost: true, polledOrders: true, alerts: 1 });
    expect(alerts[0]!.type).toBe('webhooks_disabled');
    expect(await check()).toEqual({ lost: false, polledOrders: true, alerts: 1 });
    expect(await check()).toEqual({ lost: false, polledOrders: false, alerts: 1 });
  });

  it('webhooks deleted after they were in place are a loss too', async () => {
    stack.woo!.store.webhooks.clear();
    expect(await check()).toEqual({ lost: true, polledOrders: true, alerts: 2 });
  });

  it('a check that cannot reach the shop polls the orders', async () => {
    stack.woo!.faults.errorRate = 1;
    const queued: string[] = [];
    const enqueue = stack.engine.queue.enqueue.bind(stack.engine.queue);
    stack.engine.queue.enqueue = (async (job: { key?: string }) => {
      queued.push(String(job.key));
      return enqueue(job as never);
    }) as typeof stack.engine.queue.enqueue;
    try {
      await expect(maintainWebhooks(stack.engine)).rejects.toBeTruthy();
    } finally {
      stack.woo!.faults.errorRate = 0;
      stack.engine.queue.enqueue = enqueue;
    }
    expect(queued.some((k) => k.includes('flow:order'))).toBe(true);
  });
});
