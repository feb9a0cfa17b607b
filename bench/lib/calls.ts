/**
 * API calls of one phase, as the simulators counted them (Odoo per model.method; the shop in total) and as
 * Tandem's connectors sent them (per HTTP method: the shop's reads are GETs, its writes POSTs), plus the
 * time a real deployment would have taken (the simulators' cost model at scale 1).
 */
import type { SimStats } from './sim-protocol.js';
import type { CallCounts } from './tandem.js';

/** Odoo methods that only read. Everything else (create, write, unlink, action_*, wizards) writes. */
const ODOO_READS = new Set(['search_read', 'web_search_read', 'web_read', 'read', 'search', 'search_count', 'fields_get', 'name_search', 'read_group', 'formatted_read_group', 'check_access_rights', 'context_get', 'has_group', 'default_get']);

export interface PhaseCalls {
  odoo: { total: number; reads: number; writes: number; byMethod: Record<string, number> } | null;
  /** Shop calls counted by the simulator (total) and by the sender (per HTTP method). */
  shop: { total: number; reads: number; writes: number; byHttpMethod: Record<string, number> } | null;
  total: number;
  reads: number;
  writes: number;
}

export function phaseCalls(stats: SimStats, sent: CallCounts | null): PhaseCalls {
  let odoo: PhaseCalls['odoo'] = null;
  if (stats.odoo) {
    let reads = 0;
    let writes = 0;
    for (const [key, n] of Object.entries(stats.odoo.byMethod)) {
      if (ODOO_READS.has(key.slice(key.lastIndexOf('.') + 1))) reads += n;
      else writes += n;
    }
    odoo = { total: stats.odoo.calls, reads, writes, byMethod: stats.odoo.byMethod };
  }
  let shop: PhaseCalls['shop'] = null;
  if (stats.shop) {
    const byHttpMethod = sent?.shop ?? {};
    const reads = (byHttpMethod.GET ?? 0) + (byHttpMethod.HEAD ?? 0);
    // writes: every request the shop received that was not a read (counted at the simulator)
    shop = { total: stats.shop.calls, reads: sent ? reads : NaN, writes: sent ? stats.shop.calls - reads : NaN, byHttpMethod };
  }
  return {
    odoo,
    shop,
    total: (odoo?.total ?? 0) + (shop?.total ?? 0),
    reads: (odoo?.reads ?? 0) + (shop?.reads ?? 0),
    writes: (odoo?.writes ?? 0) + (shop?.writes ?? 0),
  };
}

export interface CostSetup {
  /** The Odoo simulator's costScale (1 = real-world delays); null when its cost model is off. */
  odooScale: number | null;
  /** Latency the shop simulator really waits per request, and the round trip it stands for. */
  shopLatencyMs: number;
  shopModelMs: number;
}

/**
 * Wall time of a real deployment: the measured wall time, with every remote delay put back at full
 * size. Calls are sequential in these phases, so each shortened delay adds its difference once
 * (conservative if some calls overlapped).
 */
export function modelledMs(wallMs: number, stats: SimStats, cost: CostSetup): number | null {
  if (cost.odooScale === null) return null;
  const odoo = stats.odoo ? stats.odoo.costMs * (1 - cost.odooScale) : 0;
  const shop = stats.shop ? stats.shop.calls * (cost.shopModelMs - cost.shopLatencyMs) : 0;
  return wallMs + odoo + shop;
}
