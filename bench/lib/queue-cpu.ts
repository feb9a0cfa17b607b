/**
 * Where the CPU goes while the queue benchmark drains across processes: the node children report their
 * own `process.cpuUsage()`, and the PostgreSQL backends serving them (found by their application_name)
 * are read from /proc/<pid>/stat; the machine's idle share comes from /proc/stat. Linux only: elsewhere
 * the figures are left out.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Store } from '../../src/store/index.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function procCpuMs(pid: number): number {
  try {
    // fields after the ")" of the command name: state is field 3, utime 14, stime 15
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function machineTicks(): { busy: number; total: number } {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

export interface CpuSplit {
  /** CPU ms of the PostgreSQL backends serving the children. */
  postgresMs: number;
  /** CPU ms of the node children (sum of their own reports). */
  nodeMs: number;
  /** Share of the machine's CPU time that was busy (all processes, not only ours), 0–1. */
  machineBusy: number;
}

/** Starts measuring: call after the children connected; `finish(nodeMs)` after they reported. */
export async function startCpuSplit(store: Store, applicationName: string): Promise<(nodeMs: number) => CpuSplit> {
  const pids =
    store.dialect === 'postgres'
      ? (await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${applicationName}`.execute(store.db)).rows.map((r) => Number(r.pid))
      : [];
  const before = pids.map(procCpuMs);
  const m0 = machineTicks();
  return (nodeMs) => {
    const m1 = machineTicks();
    const postgresMs = pids.reduce((sum, pid, i) => sum + procCpuMs(pid) - (before[i] ?? 0), 0);
    const total = m1.total - m0.total;
    return { postgresMs, nodeMs, machineBusy: total > 0 ? (m1.busy - m0.busy) / total : 0 };
  };
}
