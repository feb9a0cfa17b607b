import { describe, expect, it } from 'vitest';
import { ENV_REF_PATTERN, configJsonSchema } from '../../src/config/json-schema.js';

type Node = Record<string, unknown> & { properties?: Record<string, Node>; additionalProperties?: Node | boolean; items?: Node; oneOf?: Node[] };

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as Node;

  it('has a title, a description and the draft it follows', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('tandem.yaml');
    expect(String(schema.description)).toMatch(/ENV_VAR/);
  });

  it('describes the input side: defaults are optional, unknown keys are refused', () => {
    expect(schema.required).toEqual(['systems']);
    expect(schema.additionalProperties).toBe(false);
    const flow = schema.properties?.flows?.items as Node;
    expect(flow.required).toEqual(['entity', 'direction']);
    expect(flow.additionalProperties).toBe(false);
    expect(flow.properties?.schedule).toMatchObject({ type: 'string', default: '15m' });
    expect(flow.properties?.direction?.enum).toEqual(['shop->erp', 'erp->shop', 'both']);
  });

  it('has one branch per system type, with the descriptions of their settings', () => {
    const systems = schema.properties?.systems?.additionalProperties as Node;
    const branches = systems.oneOf ?? [];
    expect(branches.map((b) => (b.properties?.type as Node).const).sort()).toEqual(['odoo', 'rest-shop', 'woocommerce']);
    const odoo = branches.find((b) => (b.properties?.type as Node).const === 'odoo') as Node;
    expect(String(odoo.properties?.apiKey?.description)).toMatch(/\$\{ENV_VAR\}/);
    expect(odoo.required).toEqual(expect.arrayContaining(['url', 'user', 'apiKey']));
  });

  it('lets URL fields hold a ${VAR} reference', () => {
    const systems = schema.properties?.systems?.additionalProperties as Node;
    const odoo = (systems.oneOf ?? []).find((b) => (b.properties?.type as Node).const === 'odoo') as Node;
    const url = odoo.properties?.url as Node;
    expect(url.format).toBeUndefined();
    expect(url.anyOf).toEqual([{ format: 'uri' }, { pattern: ENV_REF_PATTERN }]);
    expect(new RegExp(ENV_REF_PATTERN).test('${ODOO_URL}')).toBe(true);
    expect(new RegExp(ENV_REF_PATTERN).test('${ODOO_URL:-https://x}')).toBe(true);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
