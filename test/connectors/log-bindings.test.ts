/** Connector log lines carry each binding once (issue 11.11: a duplicate "system" key in WooCommerce lines). */
import { describe, expect, it } from 'vitest';
import { createSystems } from '../../src/connectors/registry.js';
import type { Logger } from '../../src/shared/log.js';

/** A logger that remembers, per child, every key bound along its chain of parents. */
function recordingLogger(chain: string[], seen: string[][]): Logger {
  const noop = () => undefined;
  return new Proxy({}, {
    get: (_t, prop) => {
      if (prop === 'child') {
        return (bindings: Record<string, unknown>) => {
          const next = [...chain, ...Object.keys(bindings)];
          seen.push(next);
          return recordingLogger(next, seen);
        };
      }
      if (prop === 'level') return 'info';
      return noop;
    },
  }) as Logger;
}

describe('log bindings of the connectors', () => {
  it('no key is bound twice along a connector logger\'s chain (shop and ERP)', () => {
    const seen: string[][] = [];
    const systems = createSystems(
      {
        shop: { type: 'woocommerce', url: 'https://shop.example.com', consumerKey: 'ck_x', consumerSecret: 'cs_x' },
        erp: { type: 'odoo', url: 'https://erp.example.com', user: 'bot', apiKey: 'k' },
      } as never,
      { log: recordingLogger([], seen) },
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const chain of seen) expect(chain.filter((k, i) => chain.indexOf(k) !== i), chain.join(',')).toEqual([]);
    // and each connector's lines name the configured system
    expect(seen.some((c) => c.includes('system'))).toBe(true);
    void systems;
  });
});
