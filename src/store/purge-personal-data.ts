/**
 * The retention purge: personal data leaves the store once it is older than the retention period.
 * Rows are kept (ids, states, amounts, who did what and when), their payloads are redacted:
 * - finished jobs (done, dead letters): payload and last error; an edited record (`data`) is dropped, so
 *   a replay re-reads the record from its source instead of writing redacted values;
 * - inbox deliveries: the webhook payload;
 * - order steps: their results;
 * - audit events: their detail (payloads before/after an edit);
 * - runs: their report (reconcile differences name customers).
 * A watermark in `meta` (the cutoff of the last purge) makes each purge touch only rows that crossed the
 * cutoff since; work goes in batches so memory stays flat on a large store.
 */
import type { Executor, Json } from './schema.js';
import { fromJsonText, toJsonText } from './columns.js';

export const PURGE_WATERMARK = 'retention.purged_until';
const BATCH = 500;

export interface PurgeCounts {
  jobs: number;
  inbox: number;
  orderSteps: number;
  audit: number;
  runs: number;
}

type Redact = (value: Json) => Json;

/** The redacted JSON text, or the text itself when nothing in it is personal (compared as parsed JSON:
 * PostgreSQL returns jsonb re-formatted). */
function redactText(text: string | null, redact: Redact, drop?: string): string | null {
  if (text === null) return null;
  const value = fromJsonText(text);
  let kept = value;
  if (drop && value && typeof value === 'object' && !Array.isArray(value) && drop in value) kept = Object.fromEntries(Object.entries(value).filter(([k]) => k !== drop));
  const redacted = toJsonText(redact(kept));
  return redacted === toJsonText(value) ? text : redacted;
}

/** Rows by id in (from, …], one batch at a time; `fn` returns whether a row was changed. */
async function inBatches<R extends { id: number }>(select: (afterId: number) => Promise<R[]>, fn: (row: R) => Promise<boolean>): Promise<number> {
  let after = 0;
  let changed = 0;
  for (;;) {
    const rows = await select(after);
    for (const row of rows) if (await fn(row)) changed += 1;
    if (rows.length < BATCH) return changed;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * Redacts the personal fields of rows from the last purge's cutoff up to `before` (epoch ms), then moves
 * the watermark. Safe to run again or from several processes (redacting twice changes nothing).
 */
export async function purgePersonalData(db: Executor, before: number, redact: Redact): Promise<PurgeCounts> {
  const mark = await db.selectFrom('meta').select('value').where('key', '=', PURGE_WATERMARK).executeTakeFirst();
  const from = mark ? Number(mark.value) : 0;
  const counts: PurgeCounts = { jobs: 0, inbox: 0, orderSteps: 0, audit: 0, runs: 0 };
  if (from >= before) return counts;

  counts.jobs = await inBatches(
    (after) => db.selectFrom('jobs').select(['id', 'payload', 'last_error']).where('state', 'in', ['done', 'dead']).where('updated_at', '>=', from).where('updated_at', '<', before).where('id', '>', after).orderBy('id').limit(BATCH).execute(),
    async (row) => {
      const payload = redactText(row.payload, redact, 'data')!;
      const lastError = redactText(row.last_error, redact);
      if (payload === row.payload && lastError === row.last_error) return false;
      await db.updateTable('jobs').set({ payload, last_error: lastError }).where('id', '=', row.id).where('state', 'in', ['done', 'dead']).execute();
      return true;
    },
  );
  counts.inbox = await inBatches(
    (after) => db.selectFrom('inbox').select(['id', 'payload']).where('received_at', '>=', from).where('received_at', '<', before).where('id', '>', after).orderBy('id').limit(BATCH).execute(),
    async (row) => {
      const payload = redactText(row.payload, redact)!;
      if (payload === row.payload) return false;
      await db.updateTable('inbox').set({ payload }).where('id', '=', row.id).execute();
      return true;
    },
  );
  counts.audit = await inBatches(
    (after) => db.selectFrom('audit').select(['id', 'detail']).where('at', '>=', from).where('at', '<', before).where('id', '>', after).orderBy('id').limit(BATCH).execute(),
    async (row) => {
      const detail = redactText(row.detail, redact);
      if (detail === row.detail) return false;
      await db.updateTable('audit').set({ detail }).where('id', '=', row.id).execute();
      return true;
    },
  );
  counts.runs = await inBatches(
    (after) => db.selectFrom('runs').select(['id', 'report']).where('finished_at', 'is not', null).where('started_at', '>=', from).where('started_at', '<', before).where('id', '>', after).orderBy('id').limit(BATCH).execute(),
    async (row) => {
      const report = redactText(row.report, redact);
      if (report === row.report) return false;
      await db.updateTable('runs').set({ report }).where('id', '=', row.id).execute();
      return true;
    },
  );
  counts.orderSteps = await purgeOrderSteps(db, from, before, redact);
  await db.updateTable('orders').set({ email: null }).where('ordered_at', '<', before).where('email', 'is not', null).execute();

  await db
    .insertInto('meta')
    .values({ key: PURGE_WATERMARK, value: String(before) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(before) }))
    .execute();
  return counts;
}

/** order_steps has a composite key (order_id, step): paged by it. */
async function purgeOrderSteps(db: Executor, from: number, before: number, redact: Redact): Promise<number> {
  let changed = 0;
  let after: { order: string; step: string } | null = null;
  for (;;) {
    let q = db.selectFrom('order_steps').select(['order_id', 'step', 'result']).where('at', '>=', from).where('at', '<', before).where('result', 'is not', null);
    if (after) {
      const a: { order: string; step: string } = after;
      q = q.where((eb) => eb.or([eb('order_id', '>', a.order), eb.and([eb('order_id', '=', a.order), eb('step', '>', a.step)])]));
    }
    const rows = await q.orderBy('order_id').orderBy('step').limit(BATCH).execute();
    for (const row of rows) {
      const result = redactText(row.result, redact);
      if (result === row.result) continue;
      await db.updateTable('order_steps').set({ result }).where('order_id', '=', row.order_id).where('step', '=', row.step).execute();
      changed += 1;
    }
    if (rows.length < BATCH) return changed;
    const last = rows[rows.length - 1]!;
    after = { order: last.order_id, step: last.step };
  }
}
