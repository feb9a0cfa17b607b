/**
 * Where the store lives: `sqlite:<file>` (a relative file is relative to the config file's folder) or
 * `postgres://user:pass@host:port/db`. Returned normalized: `sqlite:/absolute/path.db`, `sqlite::memory:`,
 * or the PostgreSQL URL unchanged.
 */
import { isAbsolute, resolve } from 'node:path';

export type StoreUrlResult = { ok: true; url: string } | { ok: false; message: string };

export function resolveStoreUrl(raw: string, baseDir: string): StoreUrlResult {
  const text = raw.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (!url.hostname && !url.searchParams.get('host')) return { ok: false, message: `${JSON.stringify(redactUrl(text))} has no host: write postgres://user@host:5432/database` };
      return { ok: true, url: text };
    } catch {
      return { ok: false, message: `${JSON.stringify(redactUrl(text))} is not a valid PostgreSQL URL: write postgres://user@host:5432/database` };
    }
  }
  if (/^sqlite:/i.test(text)) {
    let file = text.slice('sqlite:'.length);
    if (file === ':memory:') return { ok: true, url: 'sqlite::memory:' };
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') return { ok: false, message: '"sqlite:" needs a file name, e.g. sqlite:.tandem/tandem.db' };
    return { ok: true, url: `sqlite:${isAbsolute(file) ? file : resolve(baseDir, file)}` };
  }
  return {
    ok: false,
    message: `${JSON.stringify(redactUrl(text))} is not a store URL: use sqlite:<file> (e.g. sqlite:.tandem/tandem.db) or postgres://user@host:5432/database`,
  };
}

/** The URL with its password replaced, for messages. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
