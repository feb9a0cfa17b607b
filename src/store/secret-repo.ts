/**
 * Secrets stored in the database, encrypted with AES-256-GCM under TANDEM_MASTER_KEY (passed in by the
 * caller). The secret's name is authenticated with it. A key check value in `meta` tells a wrong key
 * apart from a damaged secret. Without a key, put/get fail with SyncError 'config'; list/delete work.
 */
import { SyncError } from '../shared/errors.js';
import { deriveKey, missingMasterKeyError, newSalt, open, parseMasterKey, seal } from '../shared/crypto.js';
import type { Executor } from './schema.js';

const SALT_KEY = 'secrets.kdf_salt';
const CHECK_KEY = 'secrets.key_check';
const CHECK_AAD = 'tandem:key-check';
const CHECK_TEXT = 'tandem';

export class SecretRepo {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly db: Executor, private readonly masterKey: string | undefined, private readonly now: () => number = Date.now) {}

  async put(name: string, plaintext: string, db: Executor = this.db): Promise<void> {
    const value = seal(await this.aesKey(db), plaintext, name);
    const now = this.now();
    await db
      .insertInto('secrets')
      .values({ name, value, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  async get(name: string, db: Executor = this.db): Promise<string | undefined> {
    const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    const key = await this.aesKey(db);
    try {
      return open(key, row.value, name);
    } catch (err) {
      throw new SyncError('config', `secret "${name}" cannot be decrypted: it was altered or stored under another name`, { record: name, cause: err });
    }
  }

  async list(db: Executor = this.db): Promise<{ name: string; createdAt: number; updatedAt: number }[]> {
    const rows = await db.selectFrom('secrets').select(['name', 'created_at', 'updated_at']).orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async delete(name: string, db: Executor = this.db): Promise<boolean> {
    const res = await db.deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  private aesKey(db: Executor): Promise<Buffer> {
    if (this.masterKey === undefined || this.masterKey.trim() === '') return Promise.reject(missingMasterKeyError());
    // A salt or key check first written inside a transaction may still be rolled back: do not keep that key.
    if (db.isTransaction && !this.key) return this.loadKey(db);
    this.key ??= this.loadKey(db).catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  private async loadKey(db: Executor): Promise<Buffer> {
    const master = parseMasterKey(this.masterKey);
    const salt = master.kind === 'passphrase' ? Buffer.from(await this.metaValue(db, SALT_KEY, () => newSalt().toString('base64')), 'base64') : Buffer.alloc(0);
    const key = await deriveKey(master, salt);
    const check = await this.metaValue(db, CHECK_KEY, () => seal(key, CHECK_TEXT, CHECK_AAD));
    try {
      if (open(key, check, CHECK_AAD) === CHECK_TEXT) return key;
    } catch {
      // falls through
    }
    // Nothing was encrypted with the old key: adopt the new one.
    const stored = await db.selectFrom('secrets').select('name').limit(1).executeTakeFirst();
    if (!stored) {
      await db.updateTable('meta').set({ value: seal(key, CHECK_TEXT, CHECK_AAD) }).where('key', '=', CHECK_KEY).execute();
      return key;
    }
    throw new SyncError('config', 'TANDEM_MASTER_KEY is not the key the secrets in this store were encrypted with: set the original key', {
      hint: 'without the original key the stored secrets cannot be read; delete them and store them again under the new key',
    });
  }

  /** The stored value, or `create()` stored now (the first writer wins when several processes race). */
  private async metaValue(db: Executor, key: string, create: () => string): Promise<string> {
    const found = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    if (found) return found.value;
    await db.insertInto('meta').values({ key, value: create() }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return row.value;
  }
}
