/** Dashboard sessions: the hash of the cookie's id, the user, the CSRF token, when created and last seen. */
import type { Executor } from './schema.js';
import type { Role } from './schema-access.js';

export interface SessionRow {
  idHash: string;
  userId: string;
  userName: string;
  role: Role;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export class SessionRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async create(session: { idHash: string; userId: string; csrfToken: string }, db: Executor = this.db): Promise<void> {
    const now = this.now();
    await db.insertInto('sessions').values({ id_hash: session.idHash, user_id: Number(session.userId), csrf_token: session.csrfToken, created_at: now, last_seen_at: now }).execute();
  }

  /** The session with its user's current name and role (a removed user has no session). */
  async get(idHash: string, db: Executor = this.db): Promise<SessionRow | undefined> {
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id_hash', 'sessions.user_id', 'users.name', 'users.role', 'sessions.csrf_token', 'sessions.created_at', 'sessions.last_seen_at'])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    return row && { idHash: row.id_hash, userId: String(row.user_id), userName: row.name, role: row.role, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt: row.last_seen_at };
  }

  async touch(idHash: string, db: Executor = this.db): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: this.now() }).where('id_hash', '=', idHash).execute();
  }

  async delete(idHash: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  /** Ends every session of a user (password or role changed, user removed). */
  async deleteForUser(userId: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', Number(userId)).execute();
  }

  /** Deletes sessions idle since before `idleBefore` or created before `createdBefore`; returns how many. */
  async deleteExpired(idleBefore: number, createdBefore: number, db: Executor = this.db): Promise<number> {
    const res = await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
