/**
 * The connector registry: every connector folder is a registered module, each module's starter is valid
 * settings of its own type, the factory builds a connector of the module's type and role, and every
 * webhook verifier keeps the contract the intake relies on (never throws, refuses what is not signed,
 * says the delivery id of what it refuses, gives each accepted event a delivery id).
 */
import { readdirSync, existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RawRequest } from '../../src/connectors/contract.js';
import { MODULES, SystemConfig, createConnector, moduleOf, roleOfType } from '../../src/connectors/registry.js';
import { signWooWebhook } from '../../src/connectors/woocommerce/webhook.js';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { starterEnvVars } from '../../src/config/starter.js';
import { createLogger } from '../../src/shared/log.js';

const folders = readdirSync(new URL('../../src/connectors/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** The module's starter snippet as settings, its ${VARS} set. */
function starterSettings(starter: string): { name: string; settings: unknown } {
  const text = starter.replace(/\$\{([A-Z_]+)\}/g, (_, v: string) => `value-of-${v}`);
  const [name, settings] = Object.entries(parse(`systems:\n${text}`).systems as Record<string, unknown>)[0]!;
  return { name, settings };
}

function collect(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination }), lines };
}

const SECRET = 'registry-test-secret';
const NOW = new Date('2026-03-01T10:00:00Z');

/** A correctly signed delivery of "product 42 updated", per connector type with a verifier. */
const SIGNED: Record<string, (body: string) => Record<string, string>> = {
  woocommerce: (body) => ({ 'x-wc-webhook-signature': signWooWebhook(SECRET, body), 'x-wc-webhook-topic': 'product.updated', 'x-wc-webhook-id': '7', 'x-wc-webhook-delivery-id': 'd-1' }),
  'rest-shop': (body) => {
    const ts = String(NOW.getTime() / 1000);
    return { 'x-tandem-signature': signWebhook(SECRET, ts, body), 'x-tandem-timestamp': ts, 'x-tandem-delivery': 'd-1' };
  },
};
const BODY: Record<string, string> = {
  woocommerce: JSON.stringify({ id: 42, sku: 'SKU-42', type: 'simple', date_modified_gmt: '2026-03-01T09:59:00' }),
  'rest-shop': JSON.stringify({ event: 'product.updated', data: { id: 42 } }),
};

function request(headers: Record<string, string>, body: string): RawRequest {
  return { method: 'POST', path: '/webhooks/shop', headers, body: Buffer.from(body), receivedAt: NOW };
}

describe('the connector registry', () => {
  it('registers every connector folder, each exporting one module', () => {
    expect(folders.length).toBeGreaterThanOrEqual(3);
    for (const f of folders) expect(existsSync(new URL(`../../src/connectors/${f}/module.ts`, import.meta.url)), `src/connectors/${f}/module.ts`).toBe(true);
    expect(MODULES.map((m) => m.type).sort()).toEqual([...folders].sort());
    expect(new Set(MODULES.map((m) => m.type)).size).toBe(MODULES.length);
  });

  it('has a shop and an ERP to offer', () => {
    expect(MODULES.filter((m) => m.role === 'shop').length).toBeGreaterThan(0);
    expect(MODULES.filter((m) => m.role === 'erp').length).toBeGreaterThan(0);
  });

  it.each(MODULES.map((m) => [m.type, m] as const))('%s: its starter is valid settings of its type, and the factory builds a connector of its type and role', (type, m) => {
    expect(starterEnvVars(m.starter).length).toBeGreaterThan(0); // credentials are references
    const { name, settings } = starterSettings(m.starter);
    const parsed = SystemConfig.parse(settings);
    expect(parsed.type).toBe(type);
    expect(moduleOf(parsed.type)).toBe(m);
    expect(roleOfType(parsed.type)).toBe(m.role);
    const { log } = collect();
    const c = createConnector(name, parsed, { log });
    expect({ type: c.type, role: c.role, name: c.name }).toEqual({ type, role: m.role, name });
    expect(typeof c.verifyWebhook).toBe(m.verifyWebhook ? 'function' : 'undefined');
  });

  it('refuses settings of a type no module registers, naming the known types', () => {
    const r = SystemConfig.safeParse({ type: 'shopify', url: 'https://x.example' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/odoo|woocommerce|rest-shop/);
  });
});

describe('the webhook verifier contract', () => {
  const verifying = MODULES.filter((m) => m.verifyWebhook);

  it('every verifier is covered here', () => {
    expect(verifying.map((m) => m.type).sort()).toEqual(Object.keys(SIGNED).sort());
  });

  it.each(verifying.map((m) => [m.type, m] as const))('%s: a signed delivery gives events with a delivery id; a changed body is refused with the delivery id given; garbage never throws', (type, m) => {
    const settings = { ...(SystemConfig.parse(starterSettings(m.starter).settings) as object), webhookSecret: SECRET };
    const verify = (req: RawRequest) => m.verifyWebhook!(settings as never, req);
    const body = BODY[type]!;
    const headers = SIGNED[type]!(body);
    const ok = verify(request(headers, body));
    expect(ok.ok && !ok.ping && ok.events.map((e) => ({ entity: e.entity, id: e.id, action: e.action }))).toEqual([{ entity: 'product', id: '42', action: 'updated' }]);
    if (ok.ok) for (const e of ok.events) expect(e.deliveryId).toMatch(/d-1/);

    const changed = verify(request(headers, body.replace('42', '43')));
    expect(changed).toMatchObject({ ok: false, status: 401, deliveryId: 'd-1' });
    expect(verify(request({}, '{"id": 1}'))).toMatchObject({ ok: false, status: 401 });
    expect(() => verify(request(headers, '\u0000not json'))).not.toThrow();
  });

  it.each(verifying.map((m) => [m.type, m] as const))('%s: the connector logs a refused delivery once labelled {system: <name>, connector: <type>}', (type, m) => {
    const { name, settings } = starterSettings(m.starter);
    const { log, lines } = collect();
    const c = createConnector(name, SystemConfig.parse(settings), { log });
    c.verifyWebhook!(request({}, '{"id": 1}'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.match(/"system":/g)?.length, line).toBe(1);
      expect(JSON.parse(line)).toMatchObject({ system: name, connector: type });
    }
  });
});
