/** Starts the simulators in a child process (bench/lib/sim-host.ts) and talks to them over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostReply, SimOp, SimOps, SimsInfo, SimsOptions } from './sim-protocol.js';

export interface Sims {
  info: SimsInfo;
  call<K extends SimOp>(op: K, args: SimOps[K]['args']): Promise<SimOps[K]['result']>;
  close(): Promise<void>;
}

const HOST = fileURLToPath(new URL('./sim-host.ts', import.meta.url));

export async function startSims(opts: SimsOptions): Promise<Sims> {
  const child: ChildProcess = fork(HOST, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=16384'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (m: HostReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(`simulator host: ${m.error}`));
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`simulator host exited (code ${String(code)})`));
    waiting.clear();
  });
  const request = (op: string, args: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ id, op, args });
    });
  const info = (await request('start', opts)) as SimsInfo;
  return {
    info,
    call: (op, args) => request(op, args) as Promise<never>,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await request('close', {}).catch(() => undefined);
      await exited;
    },
  };
}
