/**
 * Benchmark (not a test) against a REAL Odoo: how to give the variants Odoo generated for many templates
 * their SKUs in few calls. Each method gets its own fresh templates (a Size attribute with 4 values, so
 * Odoo generates 4 variants per template), then writes a distinct default_code to every variant:
 *
 *   per-template  one product.template write per template, product_variant_ids [1, id, vals] commands
 *   combined      ONE product.template write on all templates, product_variant_ids carrying [1, id, vals]
 *                 for the variants of every template (Odoo applies command 1 once, to any id of the comodel)
 *   load          ONE product.product load() with '.id' and default_code columns
 *
 * Every method is verified (each variant reads back its SKU) before its time counts.
 *
 *   source /work/lab/env-odoo17.sh && npm run bench:odoo-variants -- [--templates 100] [--methods combined,load] [--protocol jsonrpc] [--json]
 */
import { loadavg } from 'node:os';
import { OdooTransport } from '../src/connectors/odoo/transport.js';
import type { Json } from '../src/connectors/contract.js';

type Row = Record<string, Json> & { id: number };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? String(process.argv[i + 1]) : fallback;
}

const TEMPLATES = Number(arg('templates', '100'));
const METHODS = arg('methods', 'per-template,combined,load').split(',');
const SIZES = ['S', 'M', 'L', 'XL'];
const JSON_OUT = process.argv.includes('--json');

function transport(): OdooTransport {
  const env = process.env;
  if (!env.TANDEM_TEST_ODOO_URL || !env.TANDEM_TEST_ODOO_USER || !env.TANDEM_TEST_ODOO_KEY) throw new Error('source the lab env first: TANDEM_TEST_ODOO_URL/_DB/_USER/_KEY');
  return new OdooTransport({
    url: env.TANDEM_TEST_ODOO_URL,
    db: env.TANDEM_TEST_ODOO_DB,
    user: env.TANDEM_TEST_ODOO_USER,
    apiKey: env.TANDEM_TEST_ODOO_KEY,
    protocol: arg('protocol', 'auto') as 'auto' | 'jsonrpc' | 'json2',
    version: 'auto',
    lang: 'en_US',
    tz: 'UTC',
    timeoutMs: 300_000,
  });
}

async function sizeAttribute(t: OdooTransport): Promise<{ attr: number; values: number[] }> {
  const found = await t.call<Row[]>('product.attribute', 'search_read', { kwargs: { domain: [['name', '=', 'Bench Size']], fields: ['id'] } });
  const attr = found[0]?.id ?? (await t.call<number[]>('product.attribute', 'create', { kwargs: { vals_list: [{ name: 'Bench Size', create_variant: 'always' }] } }))[0]!;
  const existing = await t.call<Row[]>('product.attribute.value', 'search_read', { kwargs: { domain: [['attribute_id', '=', attr]], fields: ['name'] } });
  const values: number[] = [];
  for (const s of SIZES) {
    const v = existing.find((x) => x.name === s);
    values.push(v ? v.id : (await t.call<number[]>('product.attribute.value', 'create', { kwargs: { vals_list: [{ name: s, attribute_id: attr }] } }))[0]!);
  }
  return { attr, values };
}

/** Fresh templates (Odoo generates their variants); template id → variant id → the SKU it should get. */
async function setup(t: OdooTransport, run: string, size: { attr: number; values: number[] }): Promise<Map<number, Map<number, string>>> {
  const vals = Array.from({ length: TEMPLATES }, (_, i) => ({ name: `${run} Tee ${i}`, attribute_line_ids: [[0, 0, { attribute_id: size.attr, value_ids: [[6, 0, size.values]] }]] }));
  const tmplIds = await t.call<number[]>('product.template', 'create', { kwargs: { vals_list: vals } });
  const variants = await t.call<Row[]>('product.product', 'search_read', { kwargs: { domain: [['product_tmpl_id', 'in', tmplIds]], fields: ['product_tmpl_id'], order: 'id asc' } });
  const out = new Map<number, Map<number, string>>(tmplIds.map((id) => [id, new Map()]));
  for (const v of variants) {
    const tmpl = (v.product_tmpl_id as [number, string])[0];
    out.get(tmpl)!.set(v.id, `${run}-${v.id}`);
  }
  return out;
}

const METHOD: Record<string, (t: OdooTransport, want: Map<number, Map<number, string>>) => Promise<number>> = {
  'per-template': async (t, want) => {
    for (const [tmpl, vs] of want) {
      await t.call('product.template', 'write', { ids: [tmpl], kwargs: { vals: { product_variant_ids: [...vs].map(([id, sku]) => [1, id, { default_code: sku }]) } } });
    }
    return want.size;
  },
  combined: async (t, want) => {
    const commands: Json[] = [...want.values()].flatMap((vs) => [...vs].map(([id, sku]) => [1, id, { default_code: sku }] as Json));
    await t.call('product.template', 'write', { ids: [...want.keys()], kwargs: { vals: { product_variant_ids: commands } } });
    return 1;
  },
  load: async (t, want) => {
    const data = [...want.values()].flatMap((vs) => [...vs].map(([id, sku]) => [String(id), sku]));
    const res = await t.call<{ ids: number[] | false; messages: Json[] }>('product.product', 'load', { kwargs: { fields: ['.id', 'default_code'], data } });
    if (!res.ids) throw new Error(`load refused: ${JSON.stringify(res.messages).slice(0, 300)}`);
    return 1;
  },
};

async function verify(t: OdooTransport, want: Map<number, Map<number, string>>): Promise<void> {
  const ids = [...want.values()].flatMap((vs) => [...vs.keys()]);
  const rows = await t.call<Row[]>('product.product', 'read', { ids, kwargs: { fields: ['default_code'] } });
  const expected = new Map([...want.values()].flatMap((vs) => [...vs]));
  const wrong = rows.filter((r) => r.default_code !== expected.get(r.id));
  if (wrong.length > 0 || rows.length !== ids.length) throw new Error(`${wrong.length} of ${ids.length} variants have the wrong SKU`);
}

async function main(): Promise<void> {
  const t = transport();
  const info = await t.server();
  const size = await sizeAttribute(t);
  const variants = TEMPLATES * SIZES.length;
  if (!JSON_OUT) console.log(`Odoo ${info.version} (${info.protocol}), ${TEMPLATES} templates × ${SIZES.length} = ${variants} variants; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const name of METHODS) {
    const fn = METHOD[name];
    if (!fn) throw new Error(`unknown method ${name} (one of ${Object.keys(METHOD).join(', ')})`);
    const run = `BV${Date.now().toString(36)}${name.slice(0, 2).toUpperCase()}`;
    const want = await setup(t, run, size);
    const started = performance.now();
    const calls = await fn(t, want);
    const ms = performance.now() - started;
    await verify(t, want);
    if (JSON_OUT) console.log(JSON.stringify({ odoo: info.version, method: name, templates: TEMPLATES, variants, calls, ms: Math.round(ms), load: loadavg().map((x) => Math.round(x * 100) / 100) }));
    else console.log(`${name.padEnd(13)} ${String(calls).padStart(4)} call(s)  ${(ms / 1000).toFixed(2)} s  (${(ms / variants).toFixed(1)} ms/variant)  verified`);
  }
}

await main();
