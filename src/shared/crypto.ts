/**
 * AES-256-GCM for secrets at rest. The master key comes from TANDEM_MASTER_KEY (read by the caller):
 * 32 bytes as hex (64 chars) or base64 (44 chars), or any other text taken as a passphrase and stretched
 * with scrypt and a stored random salt.
 *
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>` (base64url). The associated data (e.g. the secret's name)
 * is authenticated, so a ciphertext copied under another name does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { SyncError } from './errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export type MasterKey = { kind: 'raw'; key: Buffer } | { kind: 'passphrase'; passphrase: string };

export function missingMasterKeyError(): SyncError {
  return new SyncError(
    'config',
    'TANDEM_MASTER_KEY is not set: generate one with `openssl rand -hex 32` and set it in the environment of every Tandem process (keep it: secrets stored with it cannot be read without it)',
  );
}

/** Reads the master key text: 64 hex chars or base64 of 32 bytes → the key itself; anything else → a passphrase. */
export function parseMasterKey(text: string | undefined): MasterKey {
  const value = text?.trim() ?? '';
  if (!value) throw missingMasterKeyError();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'raw', key: Buffer.from(value, 'hex') };
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
    if (key.length === KEY_BYTES) return { kind: 'raw', key };
  }
  return { kind: 'passphrase', passphrase: value };
}

export function newSalt(): Buffer {
  return randomBytes(16);
}

/** The 32-byte AES key: the raw key, or scrypt(passphrase, salt). */
export async function deriveKey(master: MasterKey, salt: Buffer): Promise<Buffer> {
  if (master.kind === 'raw') return master.key;
  return new Promise((resolve, reject) => {
    scrypt(master.passphrase, salt, KEY_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function seal(key: Buffer, plaintext: string, associatedData = ''): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** Decrypts what `seal` produced; a wrong key, other associated data or altered bytes → SyncError 'config'. */
export function open(key: Buffer, sealed: string, associatedData = ''): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SyncError('config', `cannot decrypt: not a ${VERSION} sealed value`);
  }
  const [, iv, tag, ciphertext] = parts as [string, string, string, string];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new SyncError('config', 'cannot decrypt: TANDEM_MASTER_KEY is not the key this value was encrypted with, or the value was altered', {
      cause: err,
    });
  }
}
