/**
 * Benchmark (not a test) against a REAL Odoo: ONE `product.product` create of N simple products as the
 * connector sends it, with Odoo's chatter on (a follower and a "created" message per product AND per
 * template, `_message_auto_subscribe` per record) and with `tracking_disable` (what Odoo's own import sends
 * by default), alternating, so both see the same load. Odoo's CPU seconds per create are read from
 * /proc/<pid>/stat when `--odoo-pid` is given (load-insensitive; the lab's Odoo is one threaded process).
 * The products are unlinked at the end.
 *
 *   source /work/lab/env-odoo17.sh && npx tsx bench/odoo-create-context.ts [--n 500] [--rounds 2] [--odoo-pid PID]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { OdooTransport } from '../src/connectors/odoo/transport.js';
import { removeOdooTemplates } from './lib/lab-cleanup.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg('n', 500);
const pid = arg('odoo-pid', 0);
const url = process.env.TANDEM_TEST_ODOO_URL;
const user = process.env.TANDEM_TEST_ODOO_USER;
const key = process.env.TANDEM_TEST_ODOO_KEY;
if (!url || !user || !key) throw new Error('TANDEM_TEST_ODOO_URL/_USER/_KEY are not set: source /work/lab/env-odoo17.sh');
const o = new OdooTransport({ url, db: process.env.TANDEM_TEST_ODOO_DB, user, apiKey: key, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 600_000 });

/** CPU seconds (user + system) of the Odoo process so far. */
function odooCpu(): number {
  if (!pid) return NaN;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const run = `OC${Date.now().toString(36).toUpperCase()}`;
const created: number[] = [];
try {
  for (let round = 0; round < arg('rounds', 2); round++) {
    for (const [label, context] of [
      ['chatter on', {}],
      ['tracking_disable', { tracking_disable: true }],
    ] as const) {
      const vals = Array.from({ length: N }, (_, i) => ({ name: `${run} ${label} ${round}-${i}`, default_code: `${run}-${round}-${label === 'chatter on' ? 'C' : 'T'}-${i}`, list_price: 10 + (i % 90), sale_ok: true }));
      const load = loadavg()[0]!.toFixed(2);
      const cpu0 = odooCpu();
      const t = performance.now();
      const ids = await o.call<number[]>('product.product', 'create', { kwargs: { vals_list: vals }, context });
      const ms = performance.now() - t;
      const cpu = odooCpu() - cpu0;
      const tmpls = await o.call<Array<{ product_tmpl_id: [number, string] }>>('product.product', 'read', { ids, kwargs: { fields: ['product_tmpl_id'] } });
      created.push(...tmpls.map((r) => r.product_tmpl_id[0]));
      console.log(`${N} products, ${label.padEnd(16)}: ${(ms / 1000).toFixed(2)} s wall, Odoo CPU ${Number.isNaN(cpu) ? '—' : `${cpu.toFixed(2)} s`}; load ${load} (${new Date().toISOString().slice(11, 19)} UTC)`);
    }
  }
} finally {
  const r = await removeOdooTemplates(o, created);
  console.log(`cleanup: ${r.unlinked} templates unlinked, ${r.archived} archived`);
}
