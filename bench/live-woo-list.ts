/**
 * Benchmark (not a test) against a REAL WooCommerce: the verification's product listing (`Connector.list`,
 * id-ordered pages of 100) of the whole shop, with `readConcurrency` 1 (pages one after another) and then k,
 * alternating, so both see the same load.
 *
 *   source /work/lab/env-woo.sh && npx tsx bench/live-woo-list.ts [--k 4] [--rounds 2]
 */
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { createWooCommerceConnector } from '../src/connectors/woocommerce/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const url = process.env.TANDEM_TEST_WOO_URL;
const key = process.env.TANDEM_TEST_WOO_KEY;
const secret = process.env.TANDEM_TEST_WOO_SECRET;
if (!url || !key || !secret) throw new Error('TANDEM_TEST_WOO_URL/_KEY/_SECRET are not set: source /work/lab/env-woo.sh');
const log = pino({ level: 'warn' });

async function listOnce(readConcurrency: number): Promise<{ ms: number; records: number; calls: number }> {
  const shop = createWooCommerceConnector('shop', { type: 'woocommerce', url: url!, consumerKey: key!, consumerSecret: secret!, auth: 'basic', currency: 'USD', timeout: '300s', readConcurrency }, { log });
  try {
    const t = performance.now();
    let records = 0;
    for await (const b of shop.list!('product', { pageSize: 100 })) records += b.records.length;
    return { ms: Math.round(performance.now() - t), records, calls: shop.calls };
  } finally {
    await shop.close();
  }
}

const k = arg('k', 4);
for (let round = 0; round < arg('rounds', 2); round++) {
  for (const c of [1, k]) {
    const load = loadavg()[0]!.toFixed(2);
    const r = await listOnce(c);
    console.log(`listing, readConcurrency ${c}: ${r.records} products in ${(r.ms / 1000).toFixed(2)} s (${r.calls} calls), load ${load}`);
  }
}
