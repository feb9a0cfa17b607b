/** Operator alerts: new dead letters go out once, signed, through the webhook channel; nothing is repeated. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { alertNewDeadLetters } from '../../src/engine/watch-health.js';
import { signBody } from '../../src/engine/alerts/send-alert.js';
import { SyncError } from '../../src/shared/errors.js';

const SECRET = 'alert-secret-42';
let receiver: Server;
const received: Array<{ body: string; signature: string; timestamp: string }> = [];
let stack: Stack;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['x-tandem-signature']), timestamp: String(req.headers['x-tandem-timestamp']) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  stack = await startStack({ shop: 'rest-shop', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { alerts: { channels: [{ type: 'webhook', url, secret: SECRET }] } } as never });
});

afterAll(async () => {
  await stack.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('dead-letter alerts', () => {
  it('announces new dead letters once, signed with the channel secret', async () => {
    expect(await alertNewDeadLetters(stack.engine)).toBe(0);
    await stack.engine.queue.bury({ kind: 'order.sync', key: 'order:7', payload: { shopId: '7' } }, new SyncError('not_found', 'SKU X-1 is unknown in the ERP'));
    expect(await alertNewDeadLetters(stack.engine)).toBe(1);
    expect(received).toHaveLength(1);
    const [msg] = received;
    expect(msg!.signature).toBe(signBody(SECRET, msg!.timestamp, msg!.body));
    const alert = JSON.parse(msg!.body) as { type: string; subject: string; text: string };
    expect(alert.type).toBe('dead_letters');
    expect(alert.text).toMatch(/order:7: SKU X-1 is unknown in the ERP/);
    expect(await alertNewDeadLetters(stack.engine)).toBe(0);
    expect(received).toHaveLength(1);
  });
});
