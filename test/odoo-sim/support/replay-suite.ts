/**
 * The replay fidelity suite of one Odoo version: replays every recorded flow file in order against one
 * fresh simulator and reports, per file, how many exchanges match. Exchanges listed in `known` are
 * allowed to differ — only in the way described — and the reason is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { loadFlows, replay, summarize, type Outcome } from './replay.js';

export interface KnownDeviation {
  file: string;
  seq: number;
  /** Every diff line must match this. */
  diff: RegExp;
  why: string;
}

export function describeReplay(version: 17 | 19, known: KnownDeviation[]): void {
  describe(`replay of the recorded Odoo ${version} traffic against the simulator`, () => {
    let sim: OdooSimulator;
    let outcomes: Outcome[] = [];
    let clock = Date.parse('2026-11-26T00:00:00Z');

    beforeAll(async () => {
      sim = await startOdooSimulator({ version, now: () => new Date(clock) });
      outcomes = await replay({ sim, version, setClock: (ms) => (clock = ms) }, loadFlows(version));
      const lines = [...summarize(outcomes)].map(([f, s]) => `  ${f.padEnd(34)} ${s.matched}/${s.total}`);
      // a known deviation is a note (·), not a failure mark; only an unexpected one gets ✗
      const knownOf = (o: (typeof outcomes)[number]) => known.find((k) => k.file === o.exchange.file && k.seq === o.exchange.seq);
      const notes = outcomes.filter((o) => o.diffs.length).map((o) => `  ${knownOf(o) ? 'note: known difference' : '✗'} ${o.exchange.file}#${o.exchange.seq} ${o.exchange.label}\n      ${o.diffs.slice(0, 4).join('\n      ')}${knownOf(o) ? `\n      why: ${knownOf(o)?.why}` : ''}`);
      console.log(`Odoo ${version} replay (exchanges matching per file):\n${lines.join('\n')}\n${notes.join('\n')}`);
    });
    afterAll(() => sim?.close());

    it('replays every recorded exchange', () => {
      expect(outcomes.length).toBe(loadFlows(version).length);
      expect(outcomes.length).toBeGreaterThan(200);
    });

    it('every exchange matches (shape, types, error classes, messages, states), except the documented ones', () => {
      const unexpected = outcomes
        .filter((o) => o.diffs.length)
        .filter((o) => {
          const k = known.find((x) => x.file === o.exchange.file && x.seq === o.exchange.seq);
          return !k || !o.diffs.every((d) => k.diff.test(d));
        })
        .map((o) => `${o.exchange.file}#${o.exchange.seq} ${o.exchange.label}\n    ${o.diffs.join('\n    ')}`);
      expect(unexpected, unexpected.join('\n')).toEqual([]);
    });

    it('the documented deviations still exist (remove them from the list when fixed)', () => {
      const fixed = known.filter((k) => outcomes.find((o) => o.exchange.file === k.file && o.exchange.seq === k.seq)?.diffs.length === 0);
      expect(fixed.map((k) => `${k.file}#${k.seq}`)).toEqual([]);
    });
  });
}
