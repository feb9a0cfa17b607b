/**
 * Links: which shop record is which ERP record, per entity ('product', 'variant', 'customer', 'location', …),
 * with the hash of the fields each side owns as last written (equal hash → no write, no echo).
 * One shop id is linked to at most one ERP id and the other way round.
 */
import type { Selectable } from 'kysely';
import { SyncError } from '../shared/errors.js';
import { chunk, fromJsonText, toJsonText, toRowId } from './columns.js';
import { executeReused } from './reuse-compiled.js';
import type { SystemRole } from '../model/system-role.js';
import type { Executor, Json, LinksTable } from './schema.js';


export interface Link {
  id: string;
  entity: string;
  shopId: string;
  erpId: string;
  shopHash: string | null;
  erpHash: string | null;
  syncedAt: number;
  meta: Json | null;
}

/** A link to write. Hashes and meta left undefined/null keep what is stored (clear them with setHashes). */
export interface LinkInput {
  entity: string;
  shopId: string;
  erpId: string;
  shopHash?: string | null;
  erpHash?: string | null;
  /** Default: now. */
  syncedAt?: number;
  meta?: Json | null;
}

/** What the engine builds to write a link (same as LinkInput). */
export type LinkRow = LinkInput;

export interface LinkUpdate {
  shopHash?: string | null;
  erpHash?: string | null;
  syncedAt?: number;
  meta?: Json | null;
}

const IN_CHUNK = 500;
const column = (side: SystemRole) => (side === 'shop' ? 'shop_id' : 'erp_id');

function toLink(row: Selectable<LinksTable>): Link {
  return {
    id: String(row.id),
    entity: row.entity,
    shopId: row.shop_id,
    erpId: row.erp_id,
    shopHash: row.shop_hash,
    erpHash: row.erp_hash,
    syncedAt: row.synced_at,
    meta: fromJsonText(row.meta),
  };
}

export function linkConflict(entity: string, side: SystemRole, id: string, linkedTo: string, wanted: string): SyncError {
  const other: SystemRole = side === 'shop' ? 'erp' : 'shop';
  return new SyncError('conflict', `${side} ${entity} ${id} is already linked to ${other} ${entity} ${linkedTo}, cannot link it to ${other} ${entity} ${wanted}`, {
    entity,
    record: id,
    details: { side, id, linkedTo, wanted },
    hint: `if one of the records was deleted and re-created, delete the old link first`,
  });
}

export class LinkRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async get(entity: string, side: SystemRole, id: string, db: Executor = this.db): Promise<Link | undefined> {
    const row = await db.selectFrom('links').selectAll().where('entity', '=', entity).where(column(side), '=', id).executeTakeFirst();
    return row && toLink(row);
  }

  /** Links by the ids of one side, keyed by those ids; ids without a link are absent. */
  async getMany(entity: string, side: SystemRole, ids: readonly string[], db: Executor = this.db): Promise<Map<string, Link>> {
    const out = new Map<string, Link>();
    for (const part of chunk([...new Set(ids)], IN_CHUNK)) {
      const rows = await executeReused(db, part, (ids) => db.selectFrom('links').selectAll().where('entity', '=', entity).where(column(side), 'in', ids), (id) => [id], [entity]);
      for (const row of rows) out.set(side === 'shop' ? row.shop_id : row.erp_id, toLink(row));
    }
    return out;
  }

  /**
   * Inserts or updates links, matched by either side. A shop id already linked to a different ERP id (or
   * the reverse) fails with SyncError 'conflict' naming both ids; nothing of the batch is written then.
   */
  async upsertMany(rows: readonly LinkInput[], db: Executor = this.db): Promise<void> {
    if (rows.length === 0) return;
    if (!db.isTransaction) return db.transaction().execute((tx) => this.upsertMany(rows, tx));
    const byEntity = new Map<string, Map<string, LinkInput>>();
    for (const row of rows) {
      const forEntity = byEntity.get(row.entity) ?? new Map<string, LinkInput>();
      byEntity.set(row.entity, forEntity);
      const same = forEntity.get(row.shopId);
      if (same && same.erpId !== row.erpId) throw linkConflict(row.entity, 'shop', row.shopId, same.erpId, row.erpId);
      forEntity.set(row.shopId, row);
    }
    for (const [entity, forEntity] of byEntity) {
      const wanted = [...forEntity.values()];
      await this.checkConflicts(entity, wanted, db);
      for (const part of chunk(wanted, IN_CHUNK)) await this.writeLinks(part, db);
    }
  }

  private async checkConflicts(entity: string, rows: LinkInput[], db: Executor): Promise<void> {
    const erpSeen = new Map<string, string>();
    for (const row of rows) {
      const shopId = erpSeen.get(row.erpId);
      if (shopId !== undefined && shopId !== row.shopId) throw linkConflict(entity, 'erp', row.erpId, shopId, row.shopId);
      erpSeen.set(row.erpId, row.shopId);
    }
    const byShop = await this.getMany(entity, 'shop', rows.map((r) => r.shopId), db);
    const byErp = await this.getMany(entity, 'erp', rows.map((r) => r.erpId), db);
    for (const row of rows) {
      const shopLink = byShop.get(row.shopId);
      if (shopLink && shopLink.erpId !== row.erpId) throw linkConflict(entity, 'shop', row.shopId, shopLink.erpId, row.erpId);
      const erpLink = byErp.get(row.erpId);
      if (erpLink && erpLink.shopId !== row.shopId) throw linkConflict(entity, 'erp', row.erpId, erpLink.shopId, row.shopId);
    }
  }

  private async writeLinks(rows: LinkInput[], db: Executor): Promise<void> {
    const now = this.now();
    const values = rows.map((r) => ({
      entity: r.entity,
      shop_id: r.shopId,
      erp_id: r.erpId,
      shop_hash: r.shopHash ?? null,
      erp_hash: r.erpHash ?? null,
      synced_at: r.syncedAt ?? now,
      meta: r.meta === undefined || r.meta === null ? null : toJsonText(r.meta),
    }));
    const insert = (part: readonly (typeof values)[number][]) =>
      db
        .insertInto('links')
        .values(part as (typeof values)[number][])
        .onConflict((oc) =>
          oc
            .columns(['entity', 'shop_id'])
            .doUpdateSet((eb) => ({
              shop_hash: eb.fn.coalesce('excluded.shop_hash', 'links.shop_hash'),
              erp_hash: eb.fn.coalesce('excluded.erp_hash', 'links.erp_hash'),
              synced_at: eb.ref('excluded.synced_at'),
              meta: eb.fn.coalesce('excluded.meta', 'links.meta'),
            }))
            .whereRef('links.erp_id', '=', 'excluded.erp_id'),
        )
        .returning('id');
    const written = await executeReused(db, values, insert, (v) => [v.entity, v.shop_id, v.erp_id, v.shop_hash, v.erp_hash, v.synced_at, v.meta])
      .catch((err: unknown) => {
        // Another writer linked one of these ids between the check and the write.
        throw new SyncError('conflict', `links of ${rows[0]?.entity} changed while writing them: ${(err as Error).message}`, { entity: rows[0]?.entity, cause: err });
      });
    if (written.length !== rows.length) {
      throw new SyncError('conflict', `links of ${rows[0]?.entity} changed while writing them: a shop id is now linked to another erp id`, { entity: rows[0]?.entity });
    }
  }

  /**
   * Like upsertMany, but a link that stands in the way (the shop id or the ERP id linked to something
   * else, e.g. a record deleted and re-created on one side) is deleted first instead of failing.
   */
  async replaceMany(rows: readonly LinkInput[], db: Executor = this.db): Promise<void> {
    if (rows.length === 0) return;
    if (!db.isTransaction) return db.transaction().execute((tx) => this.replaceMany(rows, tx));
    for (const row of rows) {
      await db
        .deleteFrom('links')
        .where('entity', '=', row.entity)
        .where((eb) =>
          eb.or([
            eb.and([eb('shop_id', '=', row.shopId), eb('erp_id', '!=', row.erpId)]),
            eb.and([eb('erp_id', '=', row.erpId), eb('shop_id', '!=', row.shopId)]),
          ]),
        )
        .execute();
    }
    await this.upsertMany(rows, db);
  }

  /** Sets the given fields of one link; returns false when there is no such link. */
  async setHashes(entity: string, side: SystemRole, id: string, update: LinkUpdate, db: Executor = this.db): Promise<boolean> {
    const set = {
      ...(update.shopHash !== undefined && { shop_hash: update.shopHash }),
      ...(update.erpHash !== undefined && { erp_hash: update.erpHash }),
      ...(update.meta !== undefined && { meta: update.meta === null ? null : toJsonText(update.meta) }),
      synced_at: update.syncedAt ?? this.now(),
    };
    const res = await db.updateTable('links').set(set).where('entity', '=', entity).where(column(side), '=', id).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** All links of an entity in id order, read in pages (memory stays bounded however many there are). */
  async *iterate(entity: string, opts: { pageSize?: number } = {}, db: Executor = this.db): AsyncGenerator<Link> {
    const pageSize = opts.pageSize ?? 500;
    let after = 0;
    for (;;) {
      const rows = await db.selectFrom('links').selectAll().where('entity', '=', entity).where('id', '>', after).orderBy('id').limit(pageSize).execute();
      for (const row of rows) yield toLink(row);
      if (rows.length < pageSize) return;
      after = (rows[rows.length - 1] as Selectable<LinksTable>).id;
    }
  }

  async count(entity: string, db: Executor = this.db): Promise<number> {
    const row = await db.selectFrom('links').select((eb) => eb.fn.countAll<number>().as('n')).where('entity', '=', entity).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(entity: string, side: SystemRole, id: string, db: Executor = this.db): Promise<boolean> {
    const res = await db.deleteFrom('links').where('entity', '=', entity).where(column(side), '=', id).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  /** A link by its own row id. */
  async byId(id: string, db: Executor = this.db): Promise<Link | undefined> {
    const rowId = toRowId(id);
    if (rowId === undefined) return undefined;
    const row = await db.selectFrom('links').selectAll().where('id', '=', rowId).executeTakeFirst();
    return row && toLink(row);
  }
}
