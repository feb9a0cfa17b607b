/**
 * The web console (console/, built by `npm run build` into dist/console): static files, public (they hold
 * no data; the data comes from /api/* after sign-in). Every console page path answers with index.html, so
 * a reload or a shared link opens the right page. Files are read once and kept in memory.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError, type Reply, type RequestContext } from './route-table.js';

/** Paths the console's router knows; the server answers each with the page. */
export const CONSOLE_PAGES = ['/', '/dashboard', '/orders', '/orders/:ref', '/records', '/reconcile', '/dead-letters', '/runs', '/settings', '/audit'] as const;

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The package root: the nearest folder above this file with a package.json (src/server or dist/src/server). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above console-assets');
    dir = up;
  }
  return dir;
}

export const CONSOLE_DIR = join(packageRoot(), 'dist', 'console');

interface Bundle {
  index: string;
  assets: Map<string, Buffer>;
}
let bundle: Bundle | null = null;

function load(): Bundle {
  if (bundle) return bundle;
  const indexFile = join(CONSOLE_DIR, 'index.html');
  if (!existsSync(indexFile)) throw new HttpError(404, `the console is not built (${indexFile} is missing): run npm run build`);
  const assets = new Map<string, Buffer>();
  const dir = join(CONSOLE_DIR, 'assets');
  if (existsSync(dir)) for (const f of readdirSync(dir)) assets.set(f, readFileSync(join(dir, f)));
  bundle = { index: readFileSync(indexFile, 'utf8'), assets };
  return bundle;
}

/** GET of a console page: the console's index.html. */
export function consolePage(): Reply {
  return { body: load().index, type: 'text/html; charset=utf-8', headers: { 'content-security-policy': CSP } };
}

/** GET /assets/<file>: a built script, style sheet or image; names carry a content hash, so cached for a year. */
export function consoleAsset(c: RequestContext): Reply {
  const name = c.params['*'] ?? '';
  const data = load().assets.get(name);
  if (!data) throw new HttpError(404, `no console asset ${name}`);
  return { body: data, type: TYPES[extname(name)] ?? 'application/octet-stream', headers: { 'cache-control': 'public, max-age=31536000, immutable' } };
}
