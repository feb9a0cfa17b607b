/**
 * The console's orders: a search over the stored orders (shop number or id, ERP name such as S00042 or
 * id, customer e-mail) with the flags an operator acts on — waiting (a job queued or running), dead (a
 * dead letter), differs (shop and ERP disagree: finance-report checks) — and one order's page: the row,
 * the admin links of both sides, its dead letter and its trace. POST resync queues the order's sync.
 */
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { orderDifferences } from '../engine/finance-report.js';
import { orderJob } from '../engine/jobs/kinds.js';
import { traceOrder } from '../engine/trace.js';
import { normalizeEmail } from '../model/entities.js';
import { redactPersonal } from '../shared/redact-personal.js';
import type { OrderRow } from '../store/order-repo.js';
import { actorOf } from './auth/principal.js';
import { allows } from './auth/roles.js';
import { adminLink } from './admin-links.js';
import { HttpError, type Reply, type RequestContext } from './route-table.js';

const iso = (ms: number | null) => (ms ? new Date(ms).toISOString() : null);
const FLAGS = ['waiting', 'dead', 'differs'] as const;
type Flag = (typeof FLAGS)[number];

/** Shop ids of orders with a job in one of `states` (the flags waiting and dead), at most 5000. */
async function orderIdsWithJobs(engine: Engine, states: Array<'queued' | 'running' | 'dead'>): Promise<string[]> {
  const rows = await engine.store.db.selectFrom('jobs').select('key').where('kind', '=', 'order.sync').where('state', 'in', states).limit(5000).execute();
  return [...new Set(rows.map((r) => (r.key ?? '').slice('order:'.length)))];
}

async function search(engine: Engine, q: string, limit: number, beforeOrderedAt: number | null, flag: Flag | null) {
  let query = engine.store.db.selectFrom('orders').selectAll();
  if (flag === 'dead' || flag === 'waiting') query = query.where('shop_id', 'in', ['', ...(await orderIdsWithJobs(engine, flag === 'dead' ? ['dead'] : ['queued', 'running']))]);
  // candidates for differs in SQL (the exact decimal checks run on them afterwards)
  if (flag === 'differs') {
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('erp_id', 'is', null), eb('shop_status', 'not in', ['cancelled', 'failed'])]),
        eb.and([eb('erp_total', 'is not', null), eb('erp_total', '!=', eb.ref('shop_total'))]),
        eb('invoiced_total', 'is not', null),
      ]),
    );
  }
  if (q) {
    if (q.includes('@')) query = query.where('email', '=', normalizeEmail(q));
    else query = query.where((eb) => eb.or([eb('number', '=', q), eb('shop_id', '=', q), eb('erp_name', '=', q.toUpperCase()), eb('erp_name', '=', q), eb('erp_id', '=', q)]));
  }
  if (beforeOrderedAt !== null) query = query.where('ordered_at', '<', beforeOrderedAt);
  return query.orderBy('ordered_at', 'desc').orderBy('shop_id', 'desc').limit(limit).execute();
}

/** The flags of a page of orders: job states of their `order:<id>` keys in one query. */
async function flagsOf(engine: Engine, rows: OrderRow[]): Promise<Map<string, Set<Flag>>> {
  const out = new Map(rows.map((r) => [r.shopId, new Set<Flag>()]));
  if (!rows.length) return out;
  const jobs = await engine.store.db.selectFrom('jobs').select(['key', 'state']).where('key', 'in', rows.map((r) => `order:${r.shopId}`)).where('state', 'in', ['queued', 'running', 'dead']).execute();
  for (const j of jobs) out.get((j.key ?? '').slice('order:'.length))?.add(j.state === 'dead' ? 'dead' : 'waiting');
  for (const r of rows) if (orderDifferences(r).length) out.get(r.shopId)!.add('differs');
  return out;
}

function orderJson(r: OrderRow, flags: Set<Flag>): Json {
  return { shopId: r.shopId, number: r.number, erpId: r.erpId, erpName: r.erpName, email: r.email, shopStatus: r.shopStatus, erpState: r.erpState, shopTotal: r.shopTotal, erpTotal: r.erpTotal, currency: r.currency, orderedAt: iso(r.orderedAt), importedAt: iso(r.importedAt), flags: [...flags] };
}

const forCaller = <T>(c: RequestContext, v: T): T => (c.principal && allows(c.principal.role, 'operator') ? v : redactPersonal(v));

/** GET /api/orders?q=&flag=&limit=&before= (before: the orderedAt of the last row of the previous page). */
export async function listOrders(c: RequestContext): Promise<Reply> {
  const p = c.url.searchParams;
  const q = (p.get('q') ?? '').trim();
  const flag = p.get('flag');
  if (flag && !(FLAGS as readonly string[]).includes(flag)) throw new HttpError(400, `"flag" must be one of ${FLAGS.join(', ')}`);
  const limit = Math.min(Math.max(Number(p.get('limit') ?? 50) || 50, 1), 500);
  const before = p.get('before') ? Date.parse(p.get('before')!) : null;
  if (before !== null && Number.isNaN(before)) throw new HttpError(400, '"before" must be an ISO date/time');
  const rows = (await search(c.engine, q, flag ? 5000 : limit, before, flag as Flag | null)).map((r) => c.engine.store.orders.toRow(r));
  const flags = await flagsOf(c.engine, rows);
  const shown = rows.filter((r) => !flag || flags.get(r.shopId)!.has(flag as Flag)).slice(0, limit);
  return { body: forCaller(c, shown.map((r) => orderJson(r, flags.get(r.shopId)!))) };
}

async function findRow(engine: Engine, ref: string): Promise<OrderRow> {
  const row = (await engine.store.orders.get(ref)) ?? (await engine.store.orders.findByNumber(ref))[0] ?? (await engine.store.orders.findByErpId(ref)) ?? (await engine.store.orders.findByErpName(ref));
  if (!row) throw new HttpError(404, `no order "${ref}" (give the shop's order number or id, the ERP's name such as S00042, or its id)`);
  return row;
}

/** GET /api/orders/:ref — the order, its flags, both admin links, its dead letter, its differences and its trace. */
export async function showOrder(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const row = await findRow(engine, c.params.ref as string);
  const [flags, trace, dead] = await Promise.all([flagsOf(engine, [row]), traceOrder(engine, row.shopId), engine.queue.list({ key: `order:${row.shopId}`, state: 'dead', limit: 1 })]);
  return {
    body: forCaller(c, {
      order: orderJson(row, flags.get(row.shopId)!),
      links: { shop: adminLink(engine, 'shop', 'order', row.shopId), erp: adminLink(engine, 'erp', 'order', row.erpId) },
      deadLetter: dead[0] ? { id: dead[0].id, error: dead[0].lastError as unknown as Json } : null,
      differences: orderDifferences(row) as unknown as Json,
      events: trace.events as unknown as Json,
    } as Json),
  };
}

/** POST /api/orders/:ref/resync — the order's sync job now (one, if one already waits); audited. */
export async function resyncOrder(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const row = await findRow(engine, c.params.ref as string);
  const jobId = await engine.store.transaction(async (tx) => {
    const id = await engine.queue.enqueue(orderJob(engine, row.shopId, 'manual resync'), tx);
    await engine.store.audit.record({ entity: 'order', shopId: row.shopId, erpId: row.erpId, orderNumber: row.number, action: 'sync:order', jobId: id, actor: actorOf(c.principal!), detail: { reason: 'manual resync' } }, tx);
    return id;
  });
  engine.queue.notify();
  return { status: 202, body: { ok: true, jobId } };
}
