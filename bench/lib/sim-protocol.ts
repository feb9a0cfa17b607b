/** Messages between a benchmark process and its simulator host (bench/lib/sim-host.ts), over Node IPC. */

export interface SimsOptions {
  odoo?: { version: 16 | 17 | 18 | 19; currency: string; costModel: boolean; costScale: number; latencyMs?: number };
  shop?: { currency: string; latencyMs: number; webhookSecret?: string };
  /** The WooCommerce simulator as the shop (instead of the REST shop). */
  woo?: { currency: string; latencyMs: number };
}

export interface SimsInfo {
  odoo?: { url: string; db: string; login: string; apiKey: string; version: number };
  shop?: { url: string; token: string };
  woo?: { url: string; consumerKey: string; consumerSecret: string };
  pid: number;
}

export interface SimStats {
  odoo: { calls: number; byMethod: Record<string, number>; costMs: number } | null;
  shop: { calls: number } | null;
}

export interface PlacedOrder {
  id: string;
  number: string;
  /** The order.created webhook body exactly as the shop would send it. */
  body: string;
}

export interface SimOps {
  seedShop: { args: { prefix: string; variants: number; stock?: number }; result: { products: number; variants: number } };
  seedErp: { args: { prefix: string; variants: number }; result: { products: number; variants: number } };
  odooCreate: { args: { model: string; vals: Record<string, unknown> }; result: number };
  stats: { args: Record<string, never>; result: SimStats };
  resetStats: { args: Record<string, never>; result: null };
  countErp: { args: { prefix: string }; result: { variants: number; templates: number } };
  countShop: { args: { prefix: string }; result: { products: number; variants: number } };
  placeOrders: { args: { count: number; skus: string[]; prefix: string }; result: PlacedOrder[] };
  erpOrders: { args: { prefix: string }; result: { total: number; confirmed: number; duplicates: number } };
  memory: { args: Record<string, never>; result: { rssMb: number; peakMb: number } };
  resetPeak: { args: Record<string, never>; result: null };
  close: { args: Record<string, never>; result: null };
}

export type SimOp = keyof SimOps;

export type HostRequest = { id: number; op: 'start'; args: SimsOptions } | { id: number; op: SimOp; args: unknown };
export type HostReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
