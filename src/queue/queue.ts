/**
 * The durable job queue on the store's `jobs` table. Every change of a claimed job is guarded by its
 * claim (worker id + attempt number), so a worker whose lease expired and was reclaimed by another one
 * cannot complete, fail or release the job any more.
 */
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Insertable } from 'kysely';
import { SyncError } from '../shared/errors.js';
import { toJsonText, toRowId, chunk } from '../store/columns.js';
import type { Executor, JobState, Store, StoreDialect } from '../store/index.js';
import type { JobsTable } from '../store/schema.js';
import { afterFailure, retryDelayMs } from './backoff.js';
import { ClaimsHeld, claimQuery, completeManyQuery, insertJobsQuery } from './claim-jobs.js';
import { addFailure, deadLetterOf, dieAsRecord, isDeadLetterRace } from './dead-letters.js';
import type { ClaimOptions } from './claim-jobs.js';
import { enqueueDeliveryQuery } from './enqueue-delivery.js';
import type { DeliveryRow } from './enqueue-delivery.js';
import { COMPLETE_ONE_AND_PROMOTE_PG, promoteHeads, repairHeads, waitingFor } from './key-heads.js';
import { countJobs, discardJob, getJob, listJobs, pruneJobs, replayJob, resolveDeadJobs, keyRuns } from './job-admin.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, toJob } from './types.js';
import type { Job, JobFilter, NewJob } from './types.js';

const INSERT_CHUNK = 500;

export type FailOutcome = 'retry' | 'dead' | 'lost';

const dedupeKey = (kind: string, key: string) => JSON.stringify([kind, key]);

/** How often (at most) a process's claims also promote key heads a race left waiting (key-heads.ts). */
export const REPAIR_HEADS_EVERY_MS = 1_000;

/** PostgreSQL: completes one claimed job and promotes its key's next head (key-heads.ts). */
function completeOneQuery(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>, now: number): CompiledQuery<{ id: number }> {
  return CompiledQuery.raw(COMPLETE_ONE_AND_PROMOTE_PG, [now, job.id, job.lockedBy ?? '', job.attempts]) as CompiledQuery<{ id: number }>;
}

/**
 * A dedupe enqueue as one statement: insert unless a queued job of the kind and key exists (a retried or
 * released one too, whose dedupe_key was cleared); the unique index on dedupe_key settles two concurrent
 * enqueues; nothing inserted → a job of the key waits already. `waiting`: behind an older queued job of its
 * key (key-heads.ts).
 */
function dedupeInsert(row: Insertable<JobsTable>, kind: string, key: string, dialect: StoreDialect): RawBuilder<{ id: number }> {
  const values = [...Object.values(row).map((v) => sql`${v ?? null}`), waitingFor(key, dialect)];
  const columns = [...Object.keys(row), 'waiting'].map((c) => sql.ref(c));
  return sql<{ id: number }>`insert into jobs (${sql.join(columns)}) select ${sql.join(values)} where not exists (select 1 from jobs where kind = ${kind} and key = ${key} and state = 'queued') on conflict (dedupe_key) where state = 'queued' do nothing returning id`;
}

/**
 * A dedupe enqueue to write together with something else, atomically (`OrderRepo.recordStepAudited`'s
 * `also`): `cte` is the statement as a data-modifying CTE (PostgreSQL), `run` enqueues in a transaction
 * (SQLite). Unlike `enqueue`, nothing is retried when a job of the key waits already: meant for a job
 * whose key the caller's running job holds, so that waiting job cannot be claimed before the caller ends
 * (and it does the same work).
 */
export interface EnqueueWrite {
  cte: RawBuilder<unknown>;
  run: (tx: Executor) => Promise<unknown>;
}

export class Queue {
  private readonly now: () => number;

  constructor(private readonly store: Store, opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Wall-clock time of the last `repairHeads` run by `claim` (not the queue's clock: tests move that one). */
  private lastRepair = Number.NEGATIVE_INFINITY;
  /** The repair `claim` started last (tests wait for it). */
  repairing: Promise<void> = Promise.resolve();
  /** Claims of this process not yet completed, failed or released (claim-jobs.ts). */
  readonly held = new ClaimsHeld();

  private row(job: NewJob, now: number, state: JobState = 'queued'): Insertable<JobsTable> {
    if (job.dedupe && job.key === undefined) throw new SyncError('invalid_data', `job ${job.kind}: dedupe needs a key`);
    return {
      kind: job.kind,
      key: job.key ?? null,
      dedupe_key: job.dedupe && state === 'queued' ? dedupeKey(job.kind, job.key as string) : null,
      payload: toJsonText(job.payload),
      priority: job.priority ?? 0,
      run_at: job.runAt ?? now,
      attempts: 0,
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      backoff: job.backoff ? toJsonText({ ...job.backoff }) : null,
      state,
      created_at: now,
      updated_at: now,
      record_key: job.recordKey ?? null,
    };
  }

  private readonly listeners = new Set<() => void>();

  /** Called by `notify()`: workers of this process start claiming at once instead of at their next poll. */
  onNotify(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells this process's workers that jobs are ready (call it after the enqueuing transaction committed). */
  notify(): void {
    for (const l of this.listeners) l();
  }

  async enqueue(job: NewJob, db: Executor = this.store.db): Promise<string> {
    const row = this.row(job, this.now());
    if (!job.dedupe) {
      const { rows, insertId } = await db.executeQuery(insertJobsQuery(this.store.dialect, [row]));
      return String(rows[0]?.id ?? insertId);
    }
    const key = job.key as string;
    const queued = () =>
      db.selectFrom('jobs').select('id').where('kind', '=', job.kind).where('key', '=', key).where('state', '=', 'queued').orderBy('id').limit(1).executeTakeFirst();
    // The waiting job may be claimed between the two statements: then try again (it no longer waits).
    const insert = dedupeInsert(row, job.kind, key, this.store.dialect);
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = (await insert.execute(db)).rows[0]?.id;
      if (id !== undefined) return String(id);
      const waiting = await queued();
      if (waiting) return String(waiting.id);
    }
    throw new SyncError('conflict', `job ${job.kind} ${key}: its waiting job was claimed 5 times while this enqueue ran`, { retryAfterMs: 1_000 });
  }

  /**
   * PostgreSQL: records a webhook delivery in the inbox (processed, with its job) and enqueues its job, in
   * ONE statement (enqueue-delivery.ts); a dedupe job joins a queued job of its kind and key as `enqueue`
   * does. `inserted: false`: the delivery was seen before, nothing was written.
   */
  async enqueueDelivery(job: NewJob, delivery: Omit<DeliveryRow, 'processed_at'>): Promise<{ inserted: boolean; jobId: string }> {
    if (this.store.dialect !== 'postgres') throw new Error('enqueueDelivery is for PostgreSQL (SQLite: enqueue and inbox.record in one transaction)');
    const now = this.now();
    const { rows } = await this.store.db.executeQuery(enqueueDeliveryQuery({ ...delivery, processed_at: now }, this.row(job, now)));
    const row = rows[0];
    if (!row) throw new Error('the delivery statement returned no row');
    return { inserted: row.inserted > 0, jobId: String(row.job_id) };
  }

  /** A dedupe enqueue of `job` to write with something else (see EnqueueWrite). */
  enqueueWrite(job: NewJob): EnqueueWrite {
    if (!job.dedupe || job.key === undefined) throw new SyncError('invalid_data', `job ${job.kind}: enqueueWrite needs a dedupe job with a key`);
    return { cte: dedupeInsert(this.row(job, this.now()), job.kind, job.key, this.store.dialect), run: (tx) => this.enqueue(job, tx) };
  }

  /** Enqueues in multi-row inserts; ids come back in the order of `jobs`. */
  async enqueueMany(jobs: readonly NewJob[], db: Executor = this.store.db): Promise<string[]> {
    if (jobs.length === 0) return [];
    if (!db.isTransaction && (jobs.length > INSERT_CHUNK || jobs.some((j) => j.dedupe))) {
      return db.transaction().execute((tx) => this.enqueueMany(jobs, tx));
    }
    const ids = new Array<string>(jobs.length);
    const plain: number[] = [];
    for (let i = 0; i < jobs.length; i++) {
      if ((jobs[i] as NewJob).dedupe) ids[i] = await this.enqueue(jobs[i] as NewJob, db);
      else plain.push(i);
    }
    const now = this.now();
    for (const part of chunk(plain, INSERT_CHUNK)) {
      const { rows } = await db.executeQuery(
        insertJobsQuery(
          this.store.dialect,
          part.map((i) => this.row(jobs[i] as NewJob, now)),
        ),
      );
      // One statement assigns increasing ids in VALUES order.
      const sorted = rows.map((r) => r.id).sort((a, b) => a - b);
      part.forEach((i, n) => (ids[i] = String(sorted[n])));
    }
    return ids;
  }

  /**
   * Stores a job directly as dead (e.g. a record a target refused), with the error, ready for replay; a
   * record that has a dead letter already gets one more failure on it instead (the id returned is its id).
   */
  async bury(job: NewJob, err: SyncError, db: Executor = this.store.db): Promise<string> {
    const now = this.now();
    const lastError = JSON.stringify(err.toJSON());
    const existing = job.recordKey ? await deadLetterOf(db, job.recordKey, -1) : undefined;
    if (existing !== undefined) {
      await addFailure(db, existing, { payload: job.payload, lastError, now });
      return String(existing);
    }
    const row = { ...this.row({ ...job, dedupe: false }, now, 'dead'), last_error: lastError, failures: 1, last_failed_at: now };
    const { id } = await db.insertInto('jobs').values(row).returning('id').executeTakeFirstOrThrow();
    return String(id);
  }

  /** Claims up to `limit` jobs for `workerId` in one statement; they run until `now + leaseMs` unless renewed. */
  async claim(workerId: string, opts: ClaimOptions): Promise<Job[]> {
    if (opts.limit <= 0 || (opts.kinds !== undefined && opts.kinds.length === 0)) return [];
    const { rows } = await this.store.db.executeQuery(claimQuery(this.store.dialect, workerId, this.now(), opts));
    // After the claim and not awaited: the repair is for the rare head a race left waiting, and must not
    // delay the claim of a woken worker (the idle latency).
    if (Date.now() - this.lastRepair >= REPAIR_HEADS_EVERY_MS) {
      this.lastRepair = Date.now();
      this.repairing = this.repairHeads().then(
        () => undefined,
        () => undefined, // the store is failing or closed: the claims say so; the next repair runs in a second
      );
    }
    // PostgreSQL: not a job this process already runs under the same claim (an asynchronously committed
    // claim lost with the database host and made again; SQLite commits claims synchronously and reuses ids)
    const jobs = this.store.dialect === 'postgres' ? this.held.take(rows.map(toJob)) : rows.map(toJob);
    return jobs.sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || Number(a.id) - Number(b.id));
  }

  /** Extends the leases of the given jobs still held by `workerId`; returns the ids renewed. */
  async heartbeat(ids: readonly string[], workerId: string, leaseMs: number): Promise<string[]> {
    const rowIds = ids.map(toRowId).filter((id): id is number => id !== undefined);
    if (rowIds.length === 0) return [];
    const now = this.now();
    const rows = await this.store.db
      .updateTable('jobs')
      .set({ locked_until: now + leaseMs, updated_at: now })
      .where('id', 'in', rowIds)
      .where('state', '=', 'running')
      .where('locked_by', '=', workerId)
      .returning('id')
      .execute();
    return rows.map((r) => String(r.id));
  }

  /**
   * Promotes every key head left waiting (a race between an enqueue and its head's completion on
   * PostgreSQL, or a crash between two statements); `claim` starts it after its statement at most once a
   * second per Queue. Returns how many.
   */
  repairHeads(db: Executor = this.store.db): Promise<number> {
    return repairHeads(db);
  }

  private claimed(db: Executor, job: Job) {
    return db
      .updateTable('jobs')
      .where('id', '=', toRowId(job.id) ?? -1)
      .where('state', '=', 'running')
      .where('locked_by', '=', job.lockedBy ?? '')
      .where('attempts', '=', job.attempts);
  }

  /** Marks the job done (pass the transaction that wrote its effects). False when the claim was lost. */
  async complete(job: Job, db: Executor = this.store.db): Promise<boolean> {
    this.held.drop(job);
    if (this.store.dialect === 'postgres') return (await db.executeQuery(completeOneQuery(job, this.now()))).rows.length > 0;
    if (job.key !== null && !db.isTransaction) return db.transaction().execute((tx) => this.complete(job, tx));
    const res = await this.claimed(db, job).set({ state: 'done', locked_by: null, locked_until: null, updated_at: this.now() }).executeTakeFirst();
    if (res.numUpdatedRows === 0n) return false;
    await this.promoteAfter(db, job);
    return true;
  }

  /** The job left queued/running: the next job of its key becomes the head (key-heads.ts). */
  private async promoteAfter(db: Executor, job: Pick<Job, 'id' | 'key'>): Promise<void> {
    const id = toRowId(job.id);
    if (job.key !== null && id !== undefined) await promoteHeads(db, this.store.dialect, [{ id, key: job.key }]);
  }

  /**
   * Marks many claimed jobs done in one statement (PostgreSQL: `unnest` of ids, workers and attempts;
   * SQLite: one transaction). Returns the ids completed; a job whose claim was lost is left out.
   */
  async completeMany(jobs: readonly Job[], db: Executor = this.store.db): Promise<string[]> {
    if (jobs.length === 0) return [];
    for (const job of jobs) this.held.drop(job);
    if (this.store.dialect === 'sqlite') {
      const run = async (tx: Executor) => {
        const done: string[] = [];
        for (const job of jobs) if (await this.complete(job, tx)) done.push(job.id);
        return done;
      };
      return db.isTransaction ? run(db) : db.transaction().execute(run);
    }
    if (jobs.length === 1) return (await this.complete(jobs[0] as Job, db)) ? [(jobs[0] as Job).id] : [];
    const { rows } = await db.executeQuery(completeManyQuery(jobs, this.now()));
    return rows.map((r) => String(r.id));
  }

  /**
   * A retryable error → queued again after the backoff (the error's retryAfterMs wins); a permanent one or
   * the last allowed failure → dead, keeping payload and error. 'lost' when the claim was lost meanwhile.
   * Backoff and dead point count failures (`failed_attempts`), not runs lost to a stopped worker (backoff.ts).
   */
  async fail(job: Job, err: SyncError, db: Executor = this.store.db): Promise<FailOutcome> {
    this.held.drop(job);
    const now = this.now();
    const last_error = JSON.stringify(err.toJSON());
    const { failures, dead } = afterFailure(job, err);
    if (dead && job.recordKey) {
      const die = async (tx: Executor) => {
        const outcome = await dieAsRecord(tx, job, job.recordKey as string, last_error, now);
        if (outcome === 'dead') await this.promoteAfter(tx, job);
        return outcome;
      };
      if (db.isTransaction) return die(db);
      try {
        return await db.transaction().execute(die);
      } catch (e) {
        if (!isDeadLetterRace(e)) throw e;
        return db.transaction().execute(die); // the other process's dead letter is there now: join it
      }
    }
    const runAt = dead ? job.runAt : now + retryDelayMs(failures, job.backoff ?? DEFAULT_BACKOFF, err.retryAfterMs);
    const res = await this.claimed(db, job)
      .set((eb) => ({
        state: dead ? 'dead' : 'queued',
        run_at: runAt,
        failed_attempts: eb('failed_attempts', '+', 1),
        last_error,
        locked_by: null,
        locked_until: null,
        dedupe_key: null,
        updated_at: now,
        ...(dead && { failures: eb('failures', '+', 1), last_failed_at: now }),
      }))
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) return 'lost';
    // A retry stays queued with its id: still its key's head, the jobs behind it keep waiting.
    if (dead) await this.promoteAfter(db, job);
    return dead ? 'dead' : 'retry';
  }

  /** Back to queued without counting the attempt (graceful shutdown). */
  async release(job: Job, db: Executor = this.store.db): Promise<void> {
    this.held.drop(job);
    await this.claimed(db, job)
      .set((eb) => ({ state: 'queued', attempts: eb('attempts', '-', 1), locked_by: null, locked_until: null, dedupe_key: null, updated_at: this.now() }))
      .execute();
  }

  /** A dead job → queued again with its attempts reset, optionally with an edited payload. */
  replay(id: string, opts: { payload?: NewJob['payload'] } = {}, db: Executor = this.store.db): Promise<void> {
    return replayJob(db, id, this.now(), opts.payload);
  }

  /**
   * Marks dead jobs of these keys done: their record has since been synced by another job (a later
   * webhook, a poll), so nothing waits for a person any more. Returns how many were resolved.
   */
  resolveDead(kind: string, keys: readonly string[], db: Executor = this.store.db): Promise<number> {
    return resolveDeadJobs(db, kind, keys, this.now());
  }

  discard(id: string, db: Executor = this.store.db): Promise<void> {
    return discardJob(db, id, this.store.dialect);
  }

  get(id: string, db: Executor = this.store.db): Promise<Job | undefined> {
    return getJob(db, id);
  }

  /** True while a job of `key` is running (or claimed by a stopped worker, to be re-run by the next claim). */
  runs(key: string, db: Executor = this.store.db): Promise<boolean> {
    return keyRuns(db, key);
  }

  /** In id order. */
  list(filter: JobFilter = {}, db: Executor = this.store.db): Promise<Job[]> {
    return listJobs(db, filter);
  }

  counts(db: Executor = this.store.db): Promise<Record<JobState, number>> {
    return countJobs(db);
  }

  /** Deletes done jobs last changed before `before` (epoch ms); returns how many. */
  prune(before: number, db: Executor = this.store.db): Promise<number> {
    return pruneJobs(db, before);
  }
}
