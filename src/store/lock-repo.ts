/**
 * Leases by name, shared by every process on the store: `tryAcquire` succeeds when the lease is free,
 * expired, or already ours; the holder renews it while working and releases it when done. A process that
 * dies simply lets its lease expire.
 */
import type { Executor } from './schema.js';

export class LockRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  /** True when `owner` now holds `name` until now + ttlMs. One statement: safe under concurrency. */
  async tryAcquire(name: string, owner: string, ttlMs: number, db: Executor = this.db): Promise<boolean> {
    const now = this.now();
    const row = await db
      .insertInto('locks')
      .values({ name, owner, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ owner, expires_at: now + ttlMs })
          .where((eb) => eb.or([eb('locks.expires_at', '<', now), eb('locks.owner', '=', owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === owner;
  }

  /** Extends our lease; false when it was lost (expired and taken by someone else). */
  async renew(name: string, owner: string, ttlMs: number, db: Executor = this.db): Promise<boolean> {
    const res = await db.updateTable('locks').set({ expires_at: this.now() + ttlMs }).where('name', '=', name).where('owner', '=', owner).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  async release(name: string, owner: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).execute();
  }

  async holder(name: string, db: Executor = this.db): Promise<{ owner: string; expiresAt: number } | undefined> {
    const row = await db.selectFrom('locks').select(['owner', 'expires_at']).where('name', '=', name).executeTakeFirst();
    return row && row.expires_at >= this.now() ? { owner: row.owner, expiresAt: row.expires_at } : undefined;
  }
}
