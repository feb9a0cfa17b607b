/**
 * The helpers every connector shares, through each registered connector: invalid settings are one config
 * error naming the key, and an entity a connector cannot write is one config error naming the connector.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/connectors/registry.js';
import { assertSupports, parseSettings, unsupported } from '../../src/connectors/module.js';
import { SyncError } from '../../src/shared/errors.js';
import type { EntityType } from '../../src/model/entities.js';

const log = pino({ level: 'silent' });

describe.each(MODULES.map((m) => [m.type, m] as const))('the %s connector', (type, m) => {
  it('refuses invalid settings with a config error naming systems.<name>.<key>', () => {
    let error: unknown;
    try {
      m.create('mine', { type, url: 'not a url' } as never, { log });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'config', system: type });
    expect((error as Error).message).toMatch(/^systems\.mine\.\w+/);
  });

  it('refuses to write an entity it cannot write, naming itself and the entity', async () => {
    const c = m.create('mine', m.settingsSchema.parse(SETTINGS[type]) as never, { log });
    const entity = (['order', 'invoice', 'shipment'] as EntityType[]).find((e) => !c.entities[e]?.write)!;
    const op = { kind: 'create' as const, key: '1', record: {} as never };
    const error = await Promise.resolve()
      .then(() => c.write(entity, [op], { lookup: () => undefined }))
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'config', system: type, entity });
    expect((error as Error).message).toBe(`the ${m.label} connector cannot write ${entity}`);
  });
});

const SETTINGS: Record<string, unknown> = {
  odoo: { type: 'odoo', url: 'http://127.0.0.1:9', user: 'u', apiKey: 'k' },
  woocommerce: { type: 'woocommerce', url: 'http://127.0.0.1:9', consumerKey: 'ck', consumerSecret: 'cs' },
  'rest-shop': { type: 'rest-shop', url: 'http://127.0.0.1:9/api', auth: { type: 'bearer', token: 't' }, currency: 'EUR' },
};

describe('assertSupports / unsupported', () => {
  const support = { product: { read: true, write: true, webhook: false }, order: { read: true, write: false, webhook: true } };
  it.each([
    ['product', 'read', null],
    ['product', 'write', null],
    ['order', 'write', 'the Shop connector cannot write order'],
    ['stock', 'read', 'the Shop connector cannot read stock'],
    ['product', 'webhook', 'the Shop connector cannot webhook product'],
  ] as const)('%s / %s → %s', (entity, need, message) => {
    const run = () => assertSupports('shop-type', 'Shop', support, entity, need);
    if (message === null) expect(run).not.toThrow();
    else expect(run).toThrowError(message);
  });

  it('names what is supported in the hint', () => {
    expect(() => assertSupports('t', 'Shop', support, 'stock', 'read')).toThrowError(expect.objectContaining({ hint: 'supported for read: product, order' }));
    expect(unsupported('t', 'Shop', 'price', 'fetch')).toMatchObject({ kind: 'config', system: 't', entity: 'price' });
  });

  it('parseSettings gives the parsed value or a config error with the first issue', () => {
    expect(parseSettings(MODULES[0].settingsSchema, 'erp', SETTINGS.odoo, 'h')).toMatchObject({ protocol: 'auto', lang: 'en_US' });
    expect(() => parseSettings(MODULES[0].settingsSchema, 'erp', { type: 'odoo' }, 'fix it')).toThrowError(expect.objectContaining({ kind: 'config', hint: 'fix it' }));
  });
});
