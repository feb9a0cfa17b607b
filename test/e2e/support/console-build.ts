/** Builds the console (vite) when dist/console is missing or older than a source under console/. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIR } from '../../../src/server/console-assets.js';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureConsoleBuilt(): void {
  const index = join(CONSOLE_DIR, 'index.html');
  const root = join(CONSOLE_DIR, '..', '..');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'console'))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(root, 'console', 'vite.config.ts')], { cwd: root, stdio: 'inherit' });
}
