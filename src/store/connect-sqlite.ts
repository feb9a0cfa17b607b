/**
 * SQLite through better-sqlite3: one file in WAL mode, synchronous=NORMAL, a busy timeout so several
 * processes can share the file, prepared statements cached, and transactions started with
 * BEGIN IMMEDIATE (a deferred transaction that reads and then writes fails at once with SQLITE_BUSY
 * when another process wrote in between; IMMEDIATE waits for the write lock up front instead).
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteStatement } from 'kysely';
import { UsageError } from '../shared/errors.js';

const BUSY_TIMEOUT_MS = 10_000;
const STATEMENT_CACHE_SIZE = 256;

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/** better-sqlite3 prepares on every call; Kysely builds the same SQL again and again, so keep the statements. */
function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const stmt = db.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close(): void {
      cache.clear();
      db.close();
    },
  };
}

/** `sqlite:<path>` → absolute path, or ':memory:'. */
export function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return resolve(rest);
}

/**
 * mkdir -p one level at a time: Node 20's `mkdirSync(…, { recursive: true })` never returns for some
 * paths it cannot create (e.g. under /proc), so the levels are created here one by one.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
}

function ensureWritableDirectory(file: string, url: string): void {
  const dir = dirname(file);
  try {
    makeDirectories(dir);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    // "EACCES: permission denied, mkdir '/x'" → "EACCES: permission denied"
    const reason = (err as Error).message.split(',')[0];
    throw new UsageError(`cannot write the data directory ${dir} (${reason}) for store ${url}: choose a writable path in store.url or TANDEM_DATABASE_URL`);
  }
}

export function openSqliteDialect(url: string): SqliteDialect {
  const file = sqlitePath(url);
  if (file !== ':memory:') ensureWritableDirectory(file, url);
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    throw new UsageError(`cannot open the SQLite store ${file}: ${(err as Error).message}`);
  }
  return new ImmediateSqliteDialect(withStatementCache(db));
}
