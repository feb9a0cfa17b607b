/** Users of the dashboard: a name, a role and a password hash (hashing is the caller's: server/auth). */
import type { Selectable } from 'kysely';
import type { Executor } from './schema.js';
import type { Role, UsersTable } from './schema-access.js';

export interface User {
  id: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
}

const toUser = (r: Selectable<UsersTable>): User => ({ id: String(r.id), name: r.name, role: r.role, passwordHash: r.password_hash, createdAt: r.created_at, updatedAt: r.updated_at });

export class UserRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  /** Adds a user; false when the name is taken. */
  async add(user: { name: string; role: Role; passwordHash: string }, db: Executor = this.db): Promise<boolean> {
    const now = this.now();
    const row = await db
      .insertInto('users')
      .values({ name: user.name, role: user.role, password_hash: user.passwordHash, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async get(name: string, db: Executor = this.db): Promise<User | undefined> {
    const row = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toUser(row);
  }

  async list(db: Executor = this.db): Promise<User[]> {
    return (await db.selectFrom('users').selectAll().orderBy('name').execute()).map(toUser);
  }

  async count(db: Executor = this.db): Promise<number> {
    const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Changes role and/or password hash; false when there is no such user. */
  async update(name: string, change: { role?: Role; passwordHash?: string }, db: Executor = this.db): Promise<boolean> {
    const res = await db
      .updateTable('users')
      .set({ updated_at: this.now(), ...(change.role && { role: change.role }), ...(change.passwordHash && { password_hash: change.passwordHash }) })
      .where('name', '=', name)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Removes the user and ends their sessions; false when there is no such user. */
  async remove(name: string, db: Executor = this.db): Promise<boolean> {
    const user = await this.get(name, db);
    if (!user) return false;
    await db.deleteFrom('sessions').where('user_id', '=', Number(user.id)).execute();
    await db.deleteFrom('users').where('id', '=', Number(user.id)).execute();
    return true;
  }
}
