/** .tandem/sandbox.json beside the config: where the running sandbox's control endpoint is. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../shared/errors.js';
import type { SandboxState } from './sandbox.js';

export function stateFilePath(configPath: string): string {
  return join(dirname(configPath), '.tandem', 'sandbox.json');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of a sandbox whose process still runs, else undefined. */
export function runningSandbox(configPath: string): SandboxState | undefined {
  const path = stateFilePath(configPath);
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as SandboxState;
    return alive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(configPath: string, state: SandboxState): void {
  const path = stateFilePath(configPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeState(configPath: string): void {
  rmSync(stateFilePath(configPath), { force: true });
}

/** Calls the running sandbox's control endpoint; a clear line when none runs or it refuses. */
export async function callSandbox(configPath: string, action: 'order' | 'stock', body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const state = runningSandbox(configPath);
  if (!state) throw new UsageError(`no sandbox runs for ${configPath}: start one with \`tandem sandbox\` (in another terminal) first`);
  let res: Response;
  try {
    res = await fetch(`${state.control}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new UsageError(`the sandbox (pid ${state.pid}) does not answer at ${state.control}: restart it with \`tandem sandbox --force\``, 1);
  }
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new UsageError(`sandbox ${action}: ${String(json.error)}`, 1);
  return json;
}
