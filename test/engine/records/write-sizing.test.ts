import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeSizing } from '../../../src/engine/records/write-sizing.js';
import { writeOptions } from '../../../src/config/common.js';
import type { Connector } from '../../../src/connectors/contract.js';

const conn = (type: string) => ({ name: 'target', type }) as unknown as Connector;
const dir = (to: Connector) => ({ entity: 'product' as const, flow: { batchSize: 200 } as never, to, overrides: new Map() as never });
const engine = (target: Record<string, unknown> = {}) => ({ config: { systems: { target } } as never });

describe('writeSizing: the setting, else the connector type default', () => {
  it.each([
    // [what, type, setting, start size, adaptive bounds (null: fixed)]
    ['Odoo default: adaptive from 500 up to 5,000', 'odoo', undefined, 500, { min: 100, max: 5_000 }],
    ['a number is fixed', 'odoo', 800, 800, null],
    ['bounds left out come from the type default', 'odoo', { max: 2_000 }, 500, { min: 100, max: 2_000 }],
    ['initial outside the bounds is clamped', 'odoo', { min: 1_000 }, 1_000, { min: 1_000, max: 5_000 }],
    ['WooCommerce default: fixed 100', 'woocommerce', undefined, 100, null],
    ['a type without a default: the flow batch size, fixed', 'rest-shop', undefined, 200, null],
    ['adaptive bounds for a type with a fixed default', 'woocommerce', { min: 20, max: 100, initial: 50 }, 50, { min: 20, max: 100 }],
  ] as const)('%s', (_what, type, setting, start, bounds) => {
    const s = writeSizing(engine(setting === undefined ? {} : { writeBatchSize: setting }), dir(conn(type)));
    expect(s.batchSize).toBe(start);
    if (bounds === null) expect(s.adaptive).toBeUndefined();
    else expect({ min: s.adaptive?.min, max: s.adaptive?.max, size: s.adaptive?.size }).toEqual({ ...bounds, size: start });
  });

  it('one adaptive size per target and entity, kept between runs; the budget is a third of the timeout', () => {
    const to = conn('odoo');
    const a = writeSizing(engine({ timeout: '3s' }), dir(to)).adaptive!;
    a.observe(500, 1_000); // 2 ms per record: 1,000 would take 2 s, over 75 % of the 1 s budget: it stays
    expect(a.size).toBe(500);
    expect(writeSizing(engine({ timeout: '3s' }), dir(to)).adaptive).toBe(a);
    expect(writeSizing(engine({ timeout: '3s' }), dir(conn('odoo'))).adaptive).not.toBe(a);
    const big = writeSizing(engine({ timeout: '60s' }), dir(to)).adaptive!;
    big.observe(500, 1_000); // budget 20 s: 1,000 at 2 ms = 2 s fits
    expect(big.size).toBe(1_000);
  });

  it('the schema takes a number or {min, max, initial} and refuses crossed bounds', () => {
    const schema = z.object(writeOptions);
    expect(schema.safeParse({ writeBatchSize: 500 }).success).toBe(true);
    expect(schema.safeParse({ writeBatchSize: { min: 200, max: 3_000, initial: 400 } }).success).toBe(true);
    expect(schema.safeParse({ writeBatchSize: { min: 3_000, max: 200 } }).success).toBe(false);
    expect(schema.safeParse({ writeBatchSize: { min: 100, max: 200, initial: 500 } }).success).toBe(false);
    expect(schema.safeParse({ writeBatchSize: { max: 20_000 } }).success).toBe(false);
    expect(schema.safeParse({ writeBatchSize: { size: 5 } }).success).toBe(false);
  });
});
