/** Cursors: where each read of a system's change feed stopped, by key ('shop:product', 'erp:stock', …). Opaque JSON. */
import { fromJsonText, toJsonText } from './columns.js';
import type { Executor, Json } from './schema.js';

export class CursorRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async get(key: string, db: Executor = this.db): Promise<Json | null> {
    const row = await db.selectFrom('cursors').select('value').where('key', '=', key).executeTakeFirst();
    return row ? fromJsonText(row.value) : null;
  }

  async set(key: string, cursor: Json, db: Executor = this.db): Promise<void> {
    const value = toJsonText(cursor);
    const updated_at = this.now();
    await db
      .insertInto('cursors')
      .values({ key, value, updated_at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at }))
      .execute();
  }

  async delete(key: string, db: Executor = this.db): Promise<boolean> {
    const res = await db.deleteFrom('cursors').where('key', '=', key).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  /** Every cursor with when it last moved (for `tandem check` / the dashboard). */
  async list(db: Executor = this.db): Promise<{ key: string; cursor: Json; updatedAt: number }[]> {
    const rows = await db.selectFrom('cursors').selectAll().orderBy('key').execute();
    return rows.map((r) => ({ key: r.key, cursor: fromJsonText(r.value), updatedAt: r.updated_at }));
  }
}
