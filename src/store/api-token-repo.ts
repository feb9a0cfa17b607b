/** API tokens: a name, a role and the sha256 of the token (generation and hashing: server/auth). */
import type { Selectable } from 'kysely';
import { toRowId } from './columns.js';
import type { Executor } from './schema.js';
import type { ApiTokensTable, Role } from './schema-access.js';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

const toToken = (r: Selectable<ApiTokensTable>): ApiToken => ({ id: String(r.id), name: r.name, role: r.role, prefix: r.prefix, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at });

export class ApiTokenRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  /** Stores a token's hash; undefined when the name is taken. */
  async create(token: { name: string; role: Role; hash: string; prefix: string; createdBy?: string | null }, db: Executor = this.db): Promise<ApiToken | undefined> {
    const row = await db
      .insertInto('api_tokens')
      .values({ name: token.name, role: token.role, token_hash: token.hash, prefix: token.prefix, created_by: token.createdBy ?? null, created_at: this.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toToken(row);
  }

  async findByHash(hash: string, db: Executor = this.db): Promise<ApiToken | undefined> {
    const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return row && toToken(row);
  }

  async list(db: Executor = this.db): Promise<ApiToken[]> {
    return (await db.selectFrom('api_tokens').selectAll().orderBy('name').execute()).map(toToken);
  }

  async count(db: Executor = this.db): Promise<number> {
    const row = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Notes a use (callers throttle this: one write per token per minute is plenty). */
  async touch(id: string, db: Executor = this.db): Promise<void> {
    await db.updateTable('api_tokens').set({ last_used_at: this.now() }).where('id', '=', toRowId(id) ?? -1).execute();
  }

  /** Deletes the token named `nameOrId` (its name, or its id); the revoked token, or undefined. */
  async revoke(nameOrId: string, db: Executor = this.db): Promise<ApiToken | undefined> {
    const row = await db
      .deleteFrom('api_tokens')
      .where((eb) => eb.or([eb('name', '=', nameOrId), eb('id', '=', toRowId(nameOrId) ?? -1)]))
      .returningAll()
      .executeTakeFirst();
    return row && toToken(row);
  }
}
