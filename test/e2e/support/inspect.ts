/**
 * What is in each system, read directly from the simulators' state (not through Tandem): SKUs and customer
 * emails with how many records carry each, and stock per SKU and location.
 */
import type { Engine } from '../../../src/engine/context.js';
import type { Sims } from './sims.js';

export interface Census {
  /** SKU → number of records (variants) carrying it. */
  skus: Map<string, number>;
  /** Normalized email → number of customers. */
  emails: Map<string, number>;
}

function tally(values: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

export function shopCensus(sims: Sims): Census {
  const products = sims.shop.state.products();
  const skus = tally(products.flatMap((p) => p.variants.map((v) => v.sku)));
  const emails: string[] = [];
  // the simulator numbers customers from 201 on and never reuses ids
  for (let id = 201; id < 201 + 20_000; id++) {
    const c = sims.shop.state.customer(id);
    if (c) emails.push(c.email.trim().toLowerCase());
  }
  return { skus, emails: tally(emails) };
}

export function odooCensus(sims: Sims): Census {
  const env = sims.odoo.env;
  // goods only (the seeded delivery service "Delivery_007" is not catalog)
  const variants = env.searchRead('product.product', [['default_code', '!=', false], ['type', '!=', 'service']], ['default_code'], { context: { active_test: false } });
  const partners = env.searchRead('res.partner', [['customer_rank', '>', 0], ['parent_id', '=', false]], ['email']);
  return {
    skus: tally(variants.map((v) => String(v.default_code))),
    emails: tally(partners.filter((p) => typeof p.email === 'string').map((p) => String(p.email).trim().toLowerCase())),
  };
}

/** Keys carried by more than one record. */
export function duplicates(m: Map<string, number>): string[] {
  return [...m].filter(([, n]) => n > 1).map(([k]) => k).sort();
}

export function odooStock(sims: Sims, sku: string, location: string): number {
  const env = sims.odoo.env;
  const [id] = env.search('product.product', [['default_code', '=', sku]]);
  const [loc] = env.search('stock.location', [['complete_name', '=', location]]);
  if (id === undefined || loc === undefined) throw new Error(`no Odoo product ${sku} or location ${location}`);
  const [row] = env.read('product.product', [id], ['qty_available', 'free_qty'], { context: { location: loc } });
  return Number(row?.free_qty ?? 0);
}

/** Every row Tandem keeps about the sync (not the transient locks): equal snapshots = nothing written. */
export async function storeSnapshot(engine: Engine): Promise<Record<string, unknown[]>> {
  const tables = ['links', 'cursors', 'inbox', 'jobs', 'runs', 'audit', 'orders', 'order_steps', 'sales', 'stock_alerts'] as const;
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await engine.store.db.selectFrom(t).selectAll().execute();
  return out;
}
