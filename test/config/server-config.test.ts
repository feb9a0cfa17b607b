import { describe, expect, it } from 'vitest';
import { ServerConfig, isLoopback, parseListen } from '../../src/config/server-config.js';

describe('server config', () => {
  it.each([
    [{ metrics: { listen: '127.0.0.1:9464' } }, true],
    [{ metrics: { listen: '[::1]:9464' } }, true],
    [{ metrics: { listen: '0.0.0.0:9464' } }, false],
    [{ metrics: { listen: '10.0.0.5:9464' } }, false],
    [{ metrics: { listen: '127.0.0.1' } }, false],
    [{ trustedProxies: ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'] }, true],
    [{ trustedProxies: ['10.0.0.0/33'] }, false],
    [{ trustedProxies: ['proxy.internal'] }, false],
    [{ session: { idleTimeout: '30m', maxAge: '8h' }, login: { maxFailures: 10, window: '1h' } }, true],
    [{ session: { idleTimeout: 'soon' } }, false],
    [{ webhooks: { maxBodyBytes: 16 * 1024 * 1024, dedupeWindow: '30d' } }, true],
    [{ webhooks: { maxBodyBytes: 64 * 1024 * 1024 } }, false],
    [{ webhooks: { dedupeWindow: 'forever' } }, false],
  ])('%j valid: %s', (server, valid) => {
    expect(ServerConfig.safeParse(server).success).toBe(valid);
  });

  it('defaults: loopback, no proxies, 1 h idle / 12 h sessions, 5 failures per 15 min, 8 MiB webhooks de-duplicated for 7 days', () => {
    const webhooks = { maxBodyBytes: 8 * 1024 * 1024, dedupeWindow: '7d' };
    expect(ServerConfig.parse(undefined)).toEqual({ host: '127.0.0.1', port: 8787, trustedProxies: [], session: { idleTimeout: '1h', maxAge: '12h' }, login: { maxFailures: 5, window: '15m' }, webhookCheck: '1m', webhooks });
    expect(ServerConfig.parse({})).toEqual(ServerConfig.parse(undefined));
  });

  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
    ['127.0.0.1:70000', null],
    ['nohost', null],
  ])('parseListen(%s)', (s, want) => {
    expect(parseListen(s)).toEqual(want);
  });

  it.each([['127.0.0.1', true], ['127.8.9.1', true], ['::1', true], ['localhost', true], ['0.0.0.0', false], ['::', false], ['128.0.0.1', false], ['', false]])('isLoopback(%s) = %s', (h, want) => {
    expect(isLoopback(h)).toBe(want);
  });
});
