#!/usr/bin/env node
// Entry point of the `tandem` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('tandem: dist/ is missing — run `npm ci` (or `npm run build`) in the project folder first.');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
