/**
 * Failed logins by key (`user:<name>`, `ip:<address>`), for the login rate limit. Kept in the store so
 * every `tandem serve` process on one PostgreSQL counts the same failures.
 */
import type { Executor } from './schema.js';

export class LoginFailureRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async record(keys: readonly string[], db: Executor = this.db): Promise<void> {
    if (keys.length === 0) return;
    const at = this.now();
    await db.insertInto('login_failures').values(keys.map((key) => ({ key, at }))).execute();
  }

  /** Failures of `key` at or after `since`, and the time of the oldest of them. */
  async since(key: string, since: number, db: Executor = this.db): Promise<{ count: number; oldest: number | null }> {
    const row = await db
      .selectFrom('login_failures')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
      .where('key', '=', key)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
  }

  async clear(key: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('login_failures').where('key', '=', key).execute();
  }

  /** Forgets failures older than `before`; returns how many. */
  async prune(before: number, db: Executor = this.db): Promise<number> {
    const res = await db.deleteFrom('login_failures').where('at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
