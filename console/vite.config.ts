// The console's build: Preact + TypeScript through Vite's own esbuild JSX, into dist/console (served by
// src/server/console-assets.ts). `npm run build` runs it; no CDN, every asset ships in the package.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: `${here}../dist/console`, emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, modulePreload: { polyfill: false } },
});
