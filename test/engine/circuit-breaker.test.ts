/**
 * The circuit breaker's decisions: which errors are an outage (table), which system they open, deferrals
 * without burnt attempts up to a cap, the probe closing it (gauge, waiting work notified at once); and
 * every job kind taking the flow's `errors` (order jobs too).
 */
import { describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { Config } from '../../src/config/schema.js';
import { CircuitBreakers, MAX_DEFERRALS, OPEN_AFTER, isOutage } from '../../src/engine/circuit-breaker.js';
import type { Engine } from '../../src/engine/context.js';
import { flowJob, orderJob, recordJob } from '../../src/engine/jobs/kinds.js';
import { createMetrics } from '../../src/engine/metrics.js';
import type { Job } from '../../src/queue/index.js';
import { SyncError } from '../../src/shared/errors.js';

const config = Config.parse({
  store: { url: 'sqlite::memory:' },
  systems: {
    shop: { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 't' }, currency: 'EUR' },
    erp: { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'k' },
  },
  flows: [
    { entity: 'product', direction: 'shop->erp', errors: { maxAttempts: 4, backoff: { initial: '2s', max: '1m', factor: 3 } } },
    { entity: 'order', direction: 'both', errors: { maxAttempts: 12, backoff: { initial: '1s', max: '30s', factor: 2 } } },
  ],
});

function fakeEngine() {
  const notify = vi.fn();
  const engine = { config, names: { shop: 'shop', erp: 'erp' }, log: pino({ level: 'silent' }), metrics: createMetrics(), queue: { notify } } as unknown as Engine;
  return { engine, notify };
}
const job = (id: string) => ({ id }) as Job;
const gauge = async (engine: Engine) => (await engine.metrics.circuitOpen.get()).values.map((v) => [v.labels.system, v.value]);

describe('isOutage', () => {
  it.each([
    ['connection refused', new SyncError('network', 'ECONNREFUSED', { code: 'ECONNREFUSED' }), true],
    ['timeout', new SyncError('unavailable', 'timed out', { code: 'timeout' }), true],
    ['HTTP 503', new SyncError('unavailable', 'down', { status: 503 }), true],
    ['HTTP 500', new SyncError('unavailable', 'boom', { status: 500 }), true],
    ['429 (the system answers: its own Retry-After)', new SyncError('rate_limited', 'slow down', { status: 429 }), false],
    ['unavailable without status (a logical refusal)', new SyncError('unavailable', 'Odoo created no invoice'), false],
    ['conflict', new SyncError('conflict', 'serialization failure'), false],
    ['bad data', new SyncError('invalid_data', 'no SKU', { status: 422 }), false],
  ])('%s → %s', (_name, err, want) => {
    expect(isOutage(err)).toBe(want);
  });
});

describe('CircuitBreakers', () => {
  it('an outage of the ERP opens its breaker: jobs are deferred; the probe closes it and the waiting work is notified', async () => {
    const { engine, notify } = fakeEngine();
    let up = false;
    const probe = vi.fn(async () => up);
    const b = new CircuitBreakers(engine, { probe, probeIntervalMs: 20, openAfter: 1 });
    expect(b.isOpen()).toBe(false);
    expect(b.onFailure(job('1'), new SyncError('network', 'ECONNREFUSED', { system: 'odoo' }))).toBe('defer');
    expect(b.openSystems()).toEqual(['erp']);
    expect(await gauge(engine)).toEqual([['shop', 0], ['erp', 1]]);
    expect(b.onFailure(job('2'), new SyncError('unavailable', 'down', { system: 'odoo', status: 502 }))).toBe('defer');
    await vi.waitFor(() => expect(probe.mock.calls.length).toBeGreaterThanOrEqual(2));
    expect(b.isOpen()).toBe(true);
    expect(notify).not.toHaveBeenCalled();
    up = true;
    await vi.waitFor(() => expect(b.isOpen()).toBe(false));
    expect(notify).toHaveBeenCalledTimes(1);
    expect(probe).toHaveBeenCalledWith('erp', expect.any(AbortSignal));
    expect(await gauge(engine)).toEqual([['shop', 0], ['erp', 0]]);
    b.stop();
  });

  it('the system is found by connector type or system name; errors of no system or of no outage fail as usual', () => {
    const { engine } = fakeEngine();
    const b = new CircuitBreakers(engine, { probe: async () => false, probeIntervalMs: 10_000, openAfter: 1 });
    expect(b.onFailure(job('1'), new SyncError('invalid_data', 'bad', { system: 'odoo', status: 422 }))).toBe('fail');
    expect(b.onFailure(job('1'), new SyncError('network', 'reset'))).toBe('fail');
    expect(b.onFailure(job('1'), new SyncError('network', 'reset', { system: 'elsewhere' }))).toBe('fail');
    expect(b.isOpen()).toBe(false);
    expect(b.onFailure(job('1'), new SyncError('network', 'reset', { system: 'rest-shop' }))).toBe('defer');
    expect(b.openSystems()).toEqual(['shop']);
    b.stop();
  });

  it(`${OPEN_AFTER} outage failures in a row open it; a job succeeding in between means the earlier ones were hiccups`, () => {
    const { engine } = fakeEngine();
    const b = new CircuitBreakers(engine, { probe: async () => false, probeIntervalMs: 10_000 });
    const down = new SyncError('unavailable', 'bad gateway', { system: 'odoo', status: 502 });
    for (let i = 1; i < OPEN_AFTER; i++) expect(b.onFailure(job(String(i)), down)).toBe('fail');
    b.onSuccess();
    for (let i = 1; i < OPEN_AFTER; i++) expect(b.onFailure(job(String(i)), down)).toBe('fail');
    expect(b.isOpen()).toBe(false);
    expect(b.onFailure(job('9'), down)).toBe('defer');
    expect(b.openSystems()).toEqual(['erp']);
    expect(b.onFailure(job('10'), down)).toBe('defer');
    b.stop();
  });

  it(`a job is deferred at most ${MAX_DEFERRALS} times, then fails like any other (its attempts count again)`, () => {
    const { engine } = fakeEngine();
    const b = new CircuitBreakers(engine, { probe: async () => false, probeIntervalMs: 10_000, openAfter: 1 });
    const down = new SyncError('network', 'ECONNREFUSED', { system: 'erp' });
    for (let i = 0; i < MAX_DEFERRALS; i++) expect(b.onFailure(job('7'), down)).toBe('defer');
    expect(b.onFailure(job('7'), down)).toBe('fail');
    expect(b.onFailure(job('8'), down)).toBe('defer');
    b.stop();
  });
});

describe('every job kind takes its flow\'s errors settings', () => {
  const { engine } = fakeEngine();
  it.each([
    ['order.sync', orderJob(engine, '42', 'webhook:created'), 12, { initialMs: 1000, maxMs: 30_000, factor: 2 }],
    ['record.sync', recordJob(engine, 'product', 'shop', '7'), 4, { initialMs: 2000, maxMs: 60_000, factor: 3 }],
    ['flow.run', flowJob(engine, 'product'), 4, { initialMs: 2000, maxMs: 60_000, factor: 3 }],
  ])('%s', (_kind, j, maxAttempts, backoff) => {
    expect(j).toMatchObject({ maxAttempts, backoff });
  });
});
