/**
 * No import cycles in src/ (type-only imports count too: a cycle of types is a cycle of design). Checked
 * with dpdm over the TypeScript sources, following our ESM `.js` specifiers to the `.ts` files.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree, shortenTree } from 'dpdm';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the module graph of src/', () => {
  it('has no import cycle', async () => {
    const tree = shortenTree(root, await parseDependencyTree(['src/**/*.ts'], { context: root, tsconfig: `${root}tsconfig.json`, transform: false, exclude: /(^|\/)(node_modules|test)\// }));
    expect(Object.keys(tree).filter((f) => f.startsWith('src/')).length).toBeGreaterThan(100); // it did read the sources
    expect(Object.values(tree).flat().filter((d) => d && d.request.endsWith('.js') && d.id === null && d.request.startsWith('.'))).toEqual([]); // and resolved every relative import
    const cycles = parseCircular(tree).map((c) => c.join(' → '));
    expect(cycles).toEqual([]);
  }, 60_000);
});
