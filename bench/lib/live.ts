/**
 * `npm run bench -- --live`: the runs against the REAL systems of the environment (TANDEM_TEST_WOO_* and
 * TANDEM_TEST_ODOO_*, e.g. the lab's env files), each in its own process, as rows of the results table:
 * 1,000 new simple products WooCommerce → Odoo end to end (bench/live-catalog.ts), and the variant SKU write
 * of 100 templates per call style (bench/odoo-variants.ts). Skipped, with a note, when the variables are not set.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fmtMs, type Row } from './result.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

async function jsonLines(script: string, args: string[]): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(here, '..', script), ...args, '--json'], { maxBuffer: 16 * 1024 * 1024, timeout: 30 * 60_000 });
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const has = (...names: string[]) => names.every((n) => Boolean(process.env[n]));

export async function liveRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const odoo = has('TANDEM_TEST_ODOO_URL', 'TANDEM_TEST_ODOO_USER', 'TANDEM_TEST_ODOO_KEY');
  if (!odoo) return [{ figure: 'live runs', value: 'skipped', note: 'set TANDEM_TEST_ODOO_* (and TANDEM_TEST_WOO_*) to run them' }];
  if (has('TANDEM_TEST_WOO_URL', 'TANDEM_TEST_WOO_KEY', 'TANDEM_TEST_WOO_SECRET')) {
    const [r] = (await jsonLines('live-catalog.ts', ['--n', '1000'])) as Array<{ n: number; odoo: string; syncMs: number; verifyMs: number; totalMs: number; created: number; differences: number; calls: { shop: number; erp: number }; load: number[] }>;
    if (r) {
      const what = `live: ${r.n.toLocaleString('en-US')} new simple products, real WooCommerce → real Odoo ${r.odoo}`;
      rows.push({ figure: `${what}: end to end (sync + verification)`, value: fmtMs(r.totalMs), ratio: `${(r.totalMs / 6000).toFixed(1)}× the 6 s aim`, note: `load ${r.load.join(' ')}` });
      rows.push({ figure: `${what}: sync / verification`, value: `${fmtMs(r.syncMs)} / ${fmtMs(r.verifyMs)}`, note: `${r.created} created, ${r.differences} differences; calls shop ${r.calls.shop}, Odoo ${r.calls.erp}` });
    }
  }
  for (const r of (await jsonLines('odoo-variants.ts', [])) as Array<{ odoo: string; method: string; templates: number; variants: number; calls: number; ms: number; load: number[] }>) {
    rows.push({ figure: `live: variant SKUs of ${r.templates} templates (${r.variants} variants), real Odoo ${r.odoo}, ${r.method}`, value: `${r.calls} call(s), ${fmtMs(r.ms)}`, note: `load ${r.load.join(' ')}` });
  }
  return rows;
}
