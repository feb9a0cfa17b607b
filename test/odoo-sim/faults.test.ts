/**
 * Fault injection (serialization failures, server errors, held responses) and the cost model, asserted on
 * the simulator's computed cost — never on wall time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../src/simulators/index.js';
import { json2Client, rpcClient } from './support/clients.js';

describe('odoo simulator faults', () => {
  let sim: OdooSimulator;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 19 });
  });
  afterAll(() => sim.close());

  it('serializationFailureRate=1 → psycopg2 SerializationFailure (jsonrpc envelope, JSON-2 HTTP 500); nothing is written', async () => {
    const rpc = rpcClient(sim);
    sim.faults.serializationFailureRate = 1;
    const r = await rpc.ex('res.partner', 'create', [{ name: 'Nope' }]);
    const j = await json2Client(sim)('res.partner', 'create', { vals_list: [{ name: 'Nope' }] });
    sim.faults.serializationFailureRate = 0;
    expect(r.error?.data).toMatchObject({ name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update\n' });
    expect(j.status).toBe(500);
    expect(j.json).toMatchObject({ name: 'psycopg2.errors.SerializationFailure' });
    expect(await rpc.ok('res.partner', 'search_count', [[['name', '=', 'Nope']]])).toBe(0);
  });

  it('errorRate=1 → a generic server error', async () => {
    sim.faults.errorRate = 1;
    const r = await rpcClient(sim).ex('res.partner', 'search', [[]]);
    const j = await json2Client(sim)('res.partner', 'search', { domain: [] });
    sim.faults.errorRate = 0;
    expect(r.error?.data.name).toBe('werkzeug.exceptions.InternalServerError');
    expect(j.status).toBe(500);
  });

  it('timeoutRate=1 holds the response (the client gives up first); the call itself happened', async () => {
    sim.faults.timeoutRate = 1;
    sim.faults.timeoutMs = 10_000;
    const call = fetch(`${sim.url}/json/2/res.partner/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `bearer ${sim.admin.apiKey}` },
      body: JSON.stringify({ vals_list: [{ name: 'Held' }] }),
      signal: AbortSignal.timeout(200),
    });
    await expect(call).rejects.toThrow();
    sim.faults.timeoutRate = 0;
    expect(await rpcClient(sim).ok('res.partner', 'search_count', [[['name', '=', 'Held']]])).toBe(1);
  });

  it('counts model calls per method', async () => {
    sim.resetStats();
    const rpc = rpcClient(sim);
    await rpc.ok('res.partner', 'search', [[]]);
    await rpc.ok('res.partner', 'search', [[]]);
    await json2Client(sim)('res.partner', 'search_count', { domain: [] });
    expect(sim.stats).toEqual({ calls: 3, byMethod: { 'res.partner.search': 2, 'res.partner.search_count': 1 } });
  });
});

describe('odoo simulator cost model', () => {
  let sim: OdooSimulator;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17, costModel: true, costScale: 0 });
  });
  afterAll(() => sim.close());

  it('one product per call costs far more per record than a batch of 1,000', async () => {
    const rpc = rpcClient(sim);
    await rpc.ok('product.product', 'create', [{ name: 'Single' }]);
    const single = sim.cost.last;
    await rpc.ok('product.product', 'create', [Array.from({ length: 1000 }, (_, i) => ({ name: `Batch ${i}` }))]);
    const batch = sim.cost.last;
    expect(single).toMatchObject({ model: 'product.product', method: 'create', records: 1 });
    expect(batch).toMatchObject({ records: 1000 });
    expect(single!.ms).toBeGreaterThan(450);
    expect(single!.ms).toBeLessThan(600);
    expect(batch!.ms).toBeGreaterThan(3_500);
    expect(batch!.ms).toBeLessThan(4_000);
    expect(single!.ms).toBeGreaterThan((batch!.ms / 1000) * 50);
  });

  it('reading computed stock quantities costs ~20× stored fields', async () => {
    const rpc = rpcClient(sim);
    await rpc.ok('product.product', 'search_read', [[]], { fields: ['default_code', 'write_date'], limit: 1000 });
    const stored = sim.cost.last!.ms;
    await rpc.ok('product.product', 'search_read', [[]], { fields: ['default_code', 'qty_available'], limit: 1000 });
    const computed = sim.cost.last!.ms;
    expect(computed - 16).toBeGreaterThan((stored - 16) * 10);
  });
});
