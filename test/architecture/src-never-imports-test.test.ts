/**
 * What ships never depends on what tests: no module under src/ imports anything under test/ (or bench/).
 * `npm run build` compiles src/ alone, so such an import would break the installed package.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(m|c)?ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Every module specifier of a file: static imports and re-exports, dynamic import(), require(). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) out.push(m[1] as string);
  return out;
}

describe('src/', () => {
  it('never imports test/ or bench/', () => {
    const files = sources(join(root, 'src'));
    expect(files.length).toBeGreaterThan(100); // it did read the sources
    const offending: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(file), spec));
        if (!target.startsWith('src/')) offending.push(`${relative(root, file)} imports ${spec} (${target})`);
      }
    }
    expect(offending).toEqual([]);
  });
});
