/** Runs: one row per sync run (a flow's pull, an initial sync, a reconcile) with its counts and report. */
import type { Selectable } from 'kysely';
import { fromJsonText, toJsonText, toRowId } from './columns.js';
import type { Executor, Json, RunsTable } from './schema.js';

export interface Run {
  id: string;
  flow: string;
  kind: string;
  /** 'running' until finished; then what the caller says ('ok', 'failed', 'partial', …). */
  status: string;
  startedAt: number;
  finishedAt: number | null;
  counts: Record<string, number>;
  report: Json | null;
}

function toRun(row: Selectable<RunsTable>): Run {
  return {
    id: String(row.id),
    flow: row.flow,
    kind: row.kind,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: fromJsonText<Record<string, number>>(row.counts) ?? {},
    report: fromJsonText(row.report),
  };
}

export class RunRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async start(run: { flow: string; kind: string }, db: Executor = this.db): Promise<string> {
    const row = await db
      .insertInto('runs')
      .values({ flow: run.flow, kind: run.kind, status: 'running', started_at: this.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  async finish(id: string, result: { status: string; counts: Record<string, number>; report: Json }, db: Executor = this.db): Promise<void> {
    const rowId = toRowId(id);
    if (rowId === undefined) return;
    await db
      .updateTable('runs')
      .set({ status: result.status, finished_at: this.now(), counts: toJsonText(result.counts), report: toJsonText(result.report) })
      .where('id', '=', rowId)
      .execute();
  }

  /** The counts of a run still going (progress shown while it runs). */
  async progress(id: string, counts: Record<string, number>, db: Executor = this.db): Promise<void> {
    const rowId = toRowId(id);
    if (rowId === undefined) return;
    await db.updateTable('runs').set({ counts: toJsonText(counts) }).where('id', '=', rowId).where('status', '=', 'running').execute();
  }

  async get(id: string, db: Executor = this.db): Promise<Run | undefined> {
    const rowId = toRowId(id);
    if (rowId === undefined) return undefined;
    const row = await db.selectFrom('runs').selectAll().where('id', '=', rowId).executeTakeFirst();
    return row && toRun(row);
  }

  /** Newest first. */
  async list(filter: { flow?: string; status?: string; limit?: number; offset?: number } = {}, db: Executor = this.db): Promise<Run[]> {
    let q = db.selectFrom('runs').selectAll();
    // a flow with a direction is one run name; an entity alone ('product') also matches its directions ('product:shop->erp')
    const flow = filter.flow;
    if (flow !== undefined) q = flow.includes(':') ? q.where('flow', '=', flow) : q.where((eb) => eb.or([eb('flow', '=', flow), eb(eb.fn('substr', ['flow', eb.val(1), eb.val(flow.length + 1)]), '=', `${flow}:`)]));
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(toRun);
  }
}
