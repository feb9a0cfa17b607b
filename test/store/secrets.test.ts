/** Secrets at rest: AES-256-GCM under TANDEM_MASTER_KEY, on SQLite and PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { open, parseMasterKey, seal } from '../../src/shared/crypto.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';
import type { TestStoreUrl } from '../helpers/db.js';

const HEX_KEY = randomBytes(32).toString('hex');

describe.each(testStoreKinds())('secrets on %s', (kind) => {
  let t: TestStoreUrl;
  const opened: Store[] = [];
  const storeWith = async (masterKey?: string) => {
    const s = await openStore(t.url, { masterKey });
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await t.cleanup();
  });

  it('stores ciphertext only and reads it back with the same key', async () => {
    const store = await storeWith(HEX_KEY);
    await store.secrets.put('odoo.apiKey', 'sk-live-123456');
    const row = await store.db.selectFrom('secrets').selectAll().where('name', '=', 'odoo.apiKey').executeTakeFirstOrThrow();
    expect(row.value).not.toContain('sk-live');
    expect(row.value).toMatch(/^v1\./);
    expect(await store.secrets.get('odoo.apiKey')).toBe('sk-live-123456');
    await store.secrets.put('odoo.apiKey', 'sk-live-rotated');
    expect(await (await storeWith(HEX_KEY)).secrets.get('odoo.apiKey')).toBe('sk-live-rotated');
    expect(await store.secrets.get('missing')).toBeUndefined();
  });

  it('a different key is refused with a clear config error; without a key put/get say how to make one', async () => {
    await expect((await storeWith(randomBytes(32).toString('hex'))).secrets.get('odoo.apiKey')).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('TANDEM_MASTER_KEY is not the key'),
    });
    const keyless = await storeWith(undefined);
    await expect(keyless.secrets.get('odoo.apiKey')).rejects.toMatchObject({ kind: 'config', message: expect.stringMatching(/^TANDEM_MASTER_KEY is not set: generate one with `openssl rand -hex 32`/) });
    await expect(keyless.secrets.put('x', 'y')).rejects.toMatchObject({ kind: 'config' });
    expect((await keyless.secrets.list()).map((s) => s.name)).toEqual(['odoo.apiKey']);
  });

  it('a ciphertext moved to another name does not decrypt', async () => {
    const store = await storeWith(HEX_KEY);
    await store.secrets.put('a', 'alpha');
    const a = await store.db.selectFrom('secrets').select('value').where('name', '=', 'a').executeTakeFirstOrThrow();
    await store.secrets.put('b', 'beta');
    await store.db.updateTable('secrets').set({ value: a.value }).where('name', '=', 'b').execute();
    await expect(store.secrets.get('b')).rejects.toMatchObject({ kind: 'config', message: expect.stringContaining('"b"') });
    expect(await store.secrets.delete('b')).toBe(true);
    expect(await store.secrets.delete('b')).toBe(false);
  });

  it('a passphrase is stretched with a stored salt; an empty store adopts a new key', async () => {
    const other = await createTestStoreUrl(kind);
    try {
      const a = await openStore(other.url, { masterKey: HEX_KEY });
      await a.secrets.put('tmp', 'x');
      await a.secrets.delete('tmp'); // no secret left under the hex key
      await a.close();
      const b = await openStore(other.url, { masterKey: 'correct horse battery staple' });
      await b.secrets.put('woo.secret', 'cs_abc');
      const salt = await b.db.selectFrom('meta').select('value').where('key', '=', 'secrets.kdf_salt').executeTakeFirstOrThrow();
      expect(Buffer.from(salt.value, 'base64')).toHaveLength(16);
      await b.close();
      const c = await openStore(other.url, { masterKey: 'correct horse battery staple' });
      expect(await c.secrets.get('woo.secret')).toBe('cs_abc');
      await c.close();
      const d = await openStore(other.url, { masterKey: 'wrong horse' });
      await expect(d.secrets.get('woo.secret')).rejects.toMatchObject({ kind: 'config' });
      await d.close();
    } finally {
      await other.cleanup();
    }
  });
});

describe.each(testStoreKinds())('secrets in transactions on %s', (kind) => {
  it('a key first derived in a transaction that rolls back is not reused with a salt nobody kept', async () => {
    const t = await createTestStoreUrl(kind);
    try {
      const a = await openStore(t.url, { masterKey: 'a passphrase' });
      await expect(
        a.transaction(async (tx) => {
          await a.secrets.put('x', 'one', tx);
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await a.secrets.put('y', 'two');
      await a.close();
      const b = await openStore(t.url, { masterKey: 'a passphrase' });
      expect(await b.secrets.get('y')).toBe('two');
      expect(await b.secrets.get('x')).toBeUndefined();
      await b.close();
    } finally {
      await t.cleanup();
    }
  });
});

describe('master key parsing and sealing', () => {
  it('takes 64 hex chars or base64 of 32 bytes as the key, anything else as a passphrase', () => {
    const raw = randomBytes(32);
    expect(parseMasterKey(raw.toString('hex'))).toEqual({ kind: 'raw', key: raw });
    expect(parseMasterKey(` ${raw.toString('base64')}\n`)).toEqual({ kind: 'raw', key: raw });
    expect(parseMasterKey(raw.toString('base64url'))).toEqual({ kind: 'raw', key: raw });
    expect(parseMasterKey('not a key at all')).toEqual({ kind: 'passphrase', passphrase: 'not a key at all' });
    expect(() => parseMasterKey('  ')).toThrow(/TANDEM_MASTER_KEY is not set/);
    expect(() => parseMasterKey(undefined)).toThrow(/openssl rand -hex 32/);
  });

  it('seals with a fresh IV each time and detects tampering', () => {
    const key = randomBytes(32);
    const a = seal(key, 'hello', 'n');
    expect(seal(key, 'hello', 'n')).not.toBe(a);
    expect(open(key, a, 'n')).toBe('hello');
    const parts = a.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    expect(() => open(key, [...parts.slice(0, 3), ct.toString('base64url')].join('.'), 'n')).toThrow(/cannot decrypt/);
    expect(() => open(key, 'garbage', 'n')).toThrow(/not a v1 sealed value/);
  });
});
