import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientInfo, trustedProxyList } from '../../src/server/auth/client-info.js';

const req = (peer: string, headers: Record<string, string> = {}, encrypted = false) => ({ socket: { remoteAddress: peer, encrypted }, headers }) as unknown as IncomingMessage;

describe('clientInfo', () => {
  const proxies = trustedProxyList(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

  it.each([
    ['a direct client', req('203.0.113.5'), undefined, { ip: '203.0.113.5', secure: false }],
    ['IPv4-mapped IPv6 peer', req('::ffff:203.0.113.5'), undefined, { ip: '203.0.113.5', secure: false }],
    ['forwarded headers of an untrusted peer are ignored', req('203.0.113.5', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' }), undefined, { ip: '203.0.113.5', secure: false }],
    ['a trusted proxy: its client and https', req('127.0.0.1', { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' }), undefined, { ip: '198.51.100.7', secure: true }],
    ['two trusted hops: the first untrusted address from the right', req('10.1.2.3', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.9.9.9' }), undefined, { ip: '198.51.100.7', secure: false }],
    ['a trusted IPv6 proxy', req('fd00::1', { 'x-forwarded-for': '2001:db8::5' }), undefined, { ip: '2001:db8::5', secure: false }],
    ['a trusted proxy without X-Forwarded-For', req('127.0.0.1'), undefined, { ip: '127.0.0.1', secure: false }],
    ['garbage in X-Forwarded-For is skipped', req('127.0.0.1', { 'x-forwarded-for': 'not-an-ip' }), undefined, { ip: '127.0.0.1', secure: false }],
    ['TLS directly', req('203.0.113.5', {}, true), undefined, { ip: '203.0.113.5', secure: true }],
    ['publicUrl is https', req('127.0.0.1'), 'https://tandem.example.com', { ip: '127.0.0.1', secure: true }],
  ])('%s', (_what, r, publicUrl, want) => {
    expect(clientInfo(r, proxies, publicUrl)).toEqual(want);
  });
});
