/**
 * The engine, the server, the config and the CLI know connectors only through `connectors/contract.ts`,
 * `connectors/module.ts`, `connectors/deps.ts` and `connectors/registry.ts`: none of them imports a file
 * inside a connector's folder, so a new connector touches nothing outside its folder but the registry line.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LAYERS = ['engine', 'server', 'config', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(m|c)?ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Every relative module specifier of a file: static imports and re-exports, dynamic import(), require(). */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe.each(LAYERS)('src/%s/', (layer) => {
  it('imports no file inside a connector folder (only the registry, module, deps and contract)', () => {
    const files = sources(join(root, 'src', layer));
    expect(files.length).toBeGreaterThan(5); // it did read the sources
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .map((spec) => relative(root, resolve(dirname(file), spec)))
        .filter((target) => /^src\/connectors\/[^/]+\//.test(target))
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(offending).toEqual([]);
  });
});
