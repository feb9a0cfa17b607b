/**
 * PostgreSQL: a webhook delivery's inbox row and its job in ONE statement (one round trip, one commit; no
 * BEGIN/COMMIT), for a delivery of one event that becomes a job (server/intake.ts).
 *
 * Data-modifying CTEs, all on the statement's one snapshot:
 * - `v`: the job's id, taken from the sequence up front (`nextval`), and — for a dedupe job — the queued
 *   job of its kind and key, if one waits (the delivery joins it, as `Queue.enqueue` does: a job still
 *   queued at this snapshot has not started, so its run reads the record after this delivery came in).
 * - `i`: the inbox row, already processed, pointing at that job; `on conflict (system, delivery_id) do
 *   nothing`: a delivery seen before inserts nothing below and is answered as a duplicate.
 * - `d`: the job, only when the inbox row was inserted and no job waits; a dedupe job with its dedupe key
 *   `on conflict do nothing`.
 * - `p`: when the dedupe index refused `d` (a concurrent enqueue of the same kind and key committed after
 *   this statement's snapshot), the same job without a dedupe key: one run more, never an inbox row that
 *   points at a job that does not exist.
 * A job inserted here waits behind an older queued job of its key (key-heads.ts) as any other.
 */
import { CompiledQuery } from 'kysely';
import type { Insertable } from 'kysely';
import type { JobsTable } from '../store/schema.js';
import { queuedAhead } from './key-heads.js';

/** The inbox row's columns ($1–$8). */
export interface DeliveryRow {
  system: string;
  delivery_id: string;
  entity: string | null;
  record_id: string | null;
  action: string | null;
  /** JSON text. */
  payload: string;
  received_at: number;
  processed_at: number;
}

const JOB_VALUES = `$9::text, $10::text, $11::text, $12::jsonb, $13::int, $14::bigint, 0, $15::int, $16::jsonb, 'queued', $17::bigint, $17::bigint, $18::text`;
const JOB_COLUMNS = 'id, kind, key, dedupe_key, payload, priority, run_at, attempts, max_attempts, backoff, state, created_at, updated_at, record_key, waiting';
const WAITING = `(case when ${queuedAhead('$10::text', 'postgres')} then 1 else 0 end)`;
const INBOX =
  `i as (insert into inbox (system, delivery_id, entity, record_id, action, payload, received_at, processed_at, job_id) ` +
  `select $1::text, $2::text, $3::text, $4::text, $5::text, $6::jsonb, $7::bigint, $8::bigint, coalesce(v.queued_id, v.new_id)::text from v ` +
  `on conflict (system, delivery_id) do nothing returning id)`;

/** A job with a dedupe key: joins a queued job of its kind and key, falls back to no dedupe key when the index refuses it. */
export const ENQUEUE_DELIVERY_DEDUPE_PG =
  `with v as materialized (select nextval('jobs_id_seq'::regclass) as new_id, ` +
  `(select q.id from jobs q where q.kind = $9::text and q.key = $10::text and q.state = 'queued' order by q.id limit 1) as queued_id), ` +
  `${INBOX}, ` +
  `n as materialized (select v.new_id, ${WAITING} as waiting from v where v.queued_id is null and exists (select 1 from i)), ` +
  `d as (insert into jobs (${JOB_COLUMNS}) select n.new_id, ${JOB_VALUES}, n.waiting from n ` +
  `on conflict (dedupe_key) where state = 'queued' do nothing returning id), ` +
  `p as (insert into jobs (${JOB_COLUMNS}) select n.new_id, ${JOB_VALUES.replace('$11::text', 'null')}, n.waiting from n ` +
  `where not exists (select 1 from d) returning id) ` +
  `select (select count(*) from i)::int as inserted, coalesce(v.queued_id, v.new_id) as job_id, ((select count(*) from d) + (select count(*) from p))::int as jobs from v`;

/** A job without a dedupe key ($11 is null and unused). */
export const ENQUEUE_DELIVERY_PG =
  `with v as materialized (select nextval('jobs_id_seq'::regclass) as new_id, null::bigint as queued_id, $11::text as unused), ` +
  `${INBOX}, ` +
  `j as (insert into jobs (${JOB_COLUMNS}) select v.new_id, ${JOB_VALUES.replace('$11::text', 'null')}, ${WAITING} from v ` +
  `where exists (select 1 from i) returning id) ` +
  `select (select count(*) from i)::int as inserted, v.new_id as job_id, (select count(*) from j)::int as jobs from v`;

export interface DeliveryResult {
  /** 1: the inbox row was inserted (a first delivery); 0: seen before, nothing written. */
  inserted: number;
  job_id: string | number;
  /** Jobs inserted: 0 (seen before, or joined a queued job) or 1. */
  jobs: number;
}

export function enqueueDeliveryQuery(inbox: DeliveryRow, job: Insertable<JobsTable>): CompiledQuery<DeliveryResult> {
  const params = [
    inbox.system,
    inbox.delivery_id,
    inbox.entity,
    inbox.record_id,
    inbox.action,
    inbox.payload,
    inbox.received_at,
    inbox.processed_at,
    job.kind,
    job.key ?? null,
    job.dedupe_key ?? null,
    job.payload,
    job.priority ?? 0,
    job.run_at,
    job.max_attempts,
    job.backoff ?? null,
    job.created_at,
    job.record_key ?? null,
  ];
  return CompiledQuery.raw(job.dedupe_key ? ENQUEUE_DELIVERY_DEDUPE_PG : ENQUEUE_DELIVERY_PG, params) as CompiledQuery<DeliveryResult>;
}
