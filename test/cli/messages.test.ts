/**
 * Messages that point at the fix (issue 14, point 6): a duration written as a bare number, a flow named by
 * its entity in config paths, a misspelled entity on the command line.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { parseEntities } from '../../src/cli/commands/sync.js';

const BASE = {
  store: { url: 'sqlite::memory:' },
  systems: {
    shop: { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 't' }, currency: 'EUR' },
    erp: { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'u', apiKey: 'k' },
  },
  flows: [
    { entity: 'product', direction: 'shop->erp' },
    { entity: 'order', direction: 'both' },
  ],
};

function problems(over: (c: typeof BASE & Record<string, unknown>) => unknown): string {
  const config = structuredClone(BASE) as typeof BASE & Record<string, unknown>;
  over(config);
  try {
    parseConfig(stringify(config), {});
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('config messages', () => {
  it.each([
    ['a bare number as a timeout', (c: typeof BASE & Record<string, unknown>) => ((c.systems.erp as Record<string, unknown>).timeout = 30), 'systems.erp.timeout: must be a duration like "30s" or "30m": a number needs its unit'],
    ['a bare number as a lease', (c: typeof BASE & Record<string, unknown>) => (c.workers = { leaseTimeout: 300 }), 'workers.leaseTimeout: must be a duration like "300s"'],
    ['a flow by its entity', (c: typeof BASE & Record<string, unknown>) => ((c.flows[1] as Record<string, unknown>).direction = 'sideways'), 'flows[order].direction:'],
  ])('%s', (_name, over, text) => expect(problems(over)).toContain(text));

  it('an index when the entity is missing or twice', () => {
    expect(problems((c) => (c.flows = [{ entity: 'order', direction: 'x' }, { entity: 'order', direction: 'both' }] as never))).toContain('flows[0].direction:');
  });
});

describe('entity names on the command line', () => {
  it.each([
    ['prodcut', 'unknown entity "prodcut": did you mean product?'],
    ['oder', 'unknown entity "oder": did you mean order?'],
    ['zzz', 'unknown entity "zzz" (one of'],
  ])('%s', (word, text) => expect(() => parseEntities([word])).toThrow(text));
});
