/**
 * The short form of the seeded chaos suite (`npm run chaos -- --seed N` runs the long one): 30 orders
 * through fault-injecting proxies, duplicated/reordered/replayed/dropped webhooks, one `kill -9` of
 * `tandem serve` mid-burst, on SQLite; it must converge (every order once in Odoo with one invoice and
 * one payment, no dead letter, no stuck job, every SKU's shop stock equal to Odoo's available quantity). And: the same seed gives the same fault decisions.
 */
import { describe, expect, it } from 'vitest';
import { runChaos } from '../../bench/chaos/run-chaos.js';
import { createDeliverer } from '../../bench/chaos/deliver.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom, startFaultProxy } from '../../src/simulators/index.js';

describe('chaos (short form)', () => {
  it('the same seed makes the same fault decisions; another seed other ones', async () => {
    const decisions = async (seed: number) => {
      const d = createDeliverer(seededRandom(seed), { drop: 0.2, duplicate: 0.3, delayMaxMs: 1, replay: 0.2 }, () => [], 'x');
      for (let i = 0; i < 200; i++) d.send('order.created', { id: i });
      const counts = { ...d.counts };
      return { counts, sequence: Array.from({ length: 5 }, seededRandom(seed)) };
    };
    expect(await decisions(42)).toEqual(await decisions(42));
    expect((await decisions(42)).sequence).not.toEqual((await decisions(43)).sequence);
  });

  it('a keyed fault proxy gives the same request the same fault whatever the arrival order', async () => {
    const upstream = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const rates = { error5xx: 0.3, rateLimit: 0.2 };
    const [a, b] = await Promise.all([startFaultProxy(url, { seed: 5, rates, keyed: true }), startFaultProxy(url, { seed: 5, rates, keyed: true })]);
    // 30 calls, some identical (the 2nd identical call is its own decision), JSON-RPC ids that differ per client
    const calls = Array.from({ length: 30 }, (_, i) => ({ path: `/x/${i % 20}`, body: JSON.stringify({ jsonrpc: '2.0', params: { n: i % 20 }, id: i }) }));
    const outcomes = async (base: string, order: typeof calls) => {
      const seen = new Map<string, number>();
      const out: string[] = [];
      for (const c of order) {
        const k = `${c.path} ${(seen.get(c.path) ?? 0) + 1}`;
        seen.set(c.path, (seen.get(c.path) ?? 0) + 1);
        const res = await fetch(`${base}${c.path}`, { method: 'POST', body: c.body.replace(/"id":\d+/, `"id":${out.length + 100}`) });
        await res.arrayBuffer();
        out.push(`${k} ${res.status}`);
      }
      return out.sort();
    };
    try {
      const forward = await outcomes(a.url, calls);
      const reversed = await outcomes(b.url, [...calls].reverse());
      expect(new Set(forward).size).toBe(30);
      expect(forward.some((o) => o.endsWith(' 200')) && forward.some((o) => !o.endsWith(' 200'))).toBe(true);
      expect(reversed).toEqual(forward);
    } finally {
      await Promise.all([a.close(), b.close(), new Promise((r) => upstream.close(r))]);
    }
  });

  it('30 orders, faults on both systems, webhook chaos and one kill -9 of tandem serve: converges, nothing lost, nothing twice', async () => {
    const report = await runChaos({ seed: 1, orders: 30, kills: 1, store: 'sqlite', convergeTimeoutMs: 25_000 });
    console.info(`chaos seed 1 (sqlite): ${report.orders} orders, ${report.kills} kill, faults odoo ${JSON.stringify(report.faults.odoo)} shop ${JSON.stringify(report.faults.shop)} webhooks ${JSON.stringify(report.faults.webhooks)}; converged ${report.convergedMs} ms after the faults stopped, stock settled ${report.stockSettledMs} ms later`);
    expect(report).toMatchObject({ kills: 1, missing: [], duplicated: [], withoutInvoice: [], withoutPayment: [], deadLetters: 0, stuckJobs: 0, stockMismatches: [], ok: true });
    const injected = Object.entries(report.faults.odoo).filter(([k]) => k !== 'passed').reduce((a, [, v]) => a + v, 0);
    expect(injected).toBeGreaterThan(0);
  }, 90_000);
});
