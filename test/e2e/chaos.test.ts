/**
 * The short form of the seeded chaos suite (`npm run chaos -- --seed N` runs the long one): 30 orders
 * through fault-injecting proxies, duplicated/reordered/replayed/dropped webhooks, one `kill -9` of
 * `tandem serve` mid-burst, on SQLite; it must converge (every order once in Odoo with one invoice and
 * one payment, no dead letter, no stuck job, every SKU's shop stock equal to Odoo's available quantity). And: the same seed gives the same fault decisions.
 */
import { describe, expect, it } from 'vitest';
import { runChaos } from '../../bench/chaos/run-chaos.js';
import { createDeliverer } from '../../bench/chaos/deliver.js';
import { seededRandom } from '../../src/simulators/index.js';

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

  it('30 orders, faults on both systems, webhook chaos and one kill -9 of tandem serve: converges, nothing lost, nothing twice', async () => {
    const report = await runChaos({ seed: 1, orders: 30, kills: 1, store: 'sqlite', convergeTimeoutMs: 25_000 });
    console.info(`chaos seed 1 (sqlite): ${report.orders} orders, ${report.kills} kill, faults odoo ${JSON.stringify(report.faults.odoo)} shop ${JSON.stringify(report.faults.shop)} webhooks ${JSON.stringify(report.faults.webhooks)}; converged ${report.convergedMs} ms after the faults stopped, stock settled ${report.stockSettledMs} ms later`);
    expect(report).toMatchObject({ kills: 1, missing: [], duplicated: [], withoutInvoice: [], withoutPayment: [], deadLetters: 0, stuckJobs: 0, stockMismatches: [], ok: true });
    const injected = Object.entries(report.faults.odoo).filter(([k]) => k !== 'passed').reduce((a, [, v]) => a + v, 0);
    expect(injected).toBeGreaterThan(0);
  }, 90_000);
});
