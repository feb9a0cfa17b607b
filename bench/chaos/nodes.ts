/**
 * The chaos suite's `tandem serve` nodes and their killer. `planKills` decides, from the seed alone, after
 * which order each kill -9 lands, which node it hits and how long the node stays down before it is
 * started again: `even` kills node 0, 1, … at evenly spaced orders and restarts at once (the issue-13
 * form); `random` picks the orders, the victims and the down times (0.5–4 s) at random, never leaving
 * fewer than one node up. `startFleet` runs the nodes as real processes, each its own webhook URL.
 */
import { spawnTandem, until, type TandemProcess } from '../../test/e2e/support/spawn-tandem.js';

export type KillMode = 'even' | 'random';

export interface PlannedKill {
  /** Kill just before placing this order (0-based). */
  atOrder: number;
  /** Index of the node to kill (in random mode: among the nodes up then, see Fleet.pickUp). */
  victim: number;
  /** How long the node stays down before it is started again. */
  downMs: number;
}

export function planKills(random: () => number, o: { orders: number; kills: number; nodes: number; mode: KillMode }): PlannedKill[] {
  if (o.kills <= 0 || o.orders <= 0) return [];
  if (o.mode === 'even') {
    return Array.from({ length: o.kills }, (_, k) => ({ atOrder: Math.floor(((k + 1) * o.orders) / (o.kills + 1)), victim: k % o.nodes, downMs: 0 }));
  }
  // random orders in the middle 80 % of the burst (a kill before the first order or after the last one tests less)
  const lo = Math.floor(o.orders * 0.1);
  const span = Math.max(1, Math.floor(o.orders * 0.8));
  const plan = Array.from({ length: o.kills }, () => ({ atOrder: lo + Math.floor(random() * span), victim: Math.floor(random() * o.nodes), downMs: 500 + Math.floor(random() * 3500) }));
  return plan.sort((a, b) => a.atOrder - b.atOrder);
}

export interface KillRecord {
  /** ms since the burst started */
  atMs: number;
  atOrder: number;
  node: number;
  /** The killed process (its worker id is `host:pid:…`). */
  pid: number;
  downMs: number;
  /** ms from the kill to the new process listening (null: not back yet). */
  backAfterMs: number | null;
  /** Why the node did not come back (its restart failed). */
  restartError?: string;
}

export interface Fleet {
  /** Webhook URLs of the nodes up now ('' for a node that is down). */
  urls: string[];
  start(i: number): Promise<void>;
  /** kill -9 node i now and start it again after downMs (in the background); false when it was down already. */
  kill(i: number, downMs: number, at: { burstStart: number; atOrder: number }): Promise<boolean>;
  /** Node i if up, else the next node up after it; undefined when killing would leave no node up. */
  pickUp(i: number): number | undefined;
  kills: KillRecord[];
  /** Every process started so far (killed ones included), for their logs. */
  all: TandemProcess[];
  /** Waits for the restarts under way. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function startFleet(o: { count: number; dir: string; env: Record<string, string> }): Fleet {
  const serves: Array<TandemProcess | undefined> = [];
  const urls: string[] = Array.from({ length: o.count }, () => '');
  const all: TandemProcess[] = [];
  const kills: KillRecord[] = [];
  const restarts = new Set<Promise<void>>();
  const start = async (i: number) => {
    const p = spawnTandem(['serve', '--port', '0'], { cwd: o.dir, env: o.env });
    all.push(p);
    serves[i] = p;
    await until(() => /listening on (http:\/\/\S+) /.test(p.stderr()), { what: `tandem serve #${i} to listen`, process: p, timeoutMs: 60_000 });
    urls[i] = `${/listening on (http:\/\/\S+) /.exec(p.stderr())![1]!}/webhooks/shop`;
  };
  const up = (i: number) => urls[i] !== '';
  return {
    urls,
    start,
    kills,
    all,
    pickUp(i) {
      const alive = urls.filter((u) => u !== '').length;
      if (alive <= 1) return undefined;
      for (let k = 0; k < o.count; k++) if (up((i + k) % o.count)) return (i + k) % o.count;
      return undefined;
    },
    async kill(i, downMs, at) {
      const p = serves[i];
      if (!p || !up(i)) return false;
      urls[i] = '';
      const killedAt = Date.now();
      p.child.kill('SIGKILL');
      await p.exited;
      const rec: KillRecord = { atMs: killedAt - at.burstStart, atOrder: at.atOrder, node: i, pid: p.child.pid ?? 0, downMs, backAfterMs: null };
      kills.push(rec);
      const restart = (async () => {
        await new Promise((r) => setTimeout(r, downMs));
        await start(i);
        rec.backAfterMs = Date.now() - killedAt;
      })().catch((e: unknown) => {
        // a node that does not come back is the run's finding, not the runner's crash
        rec.restartError = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      });
      const tracked = restart.finally(() => restarts.delete(tracked));
      restarts.add(tracked);
      if (downMs === 0) await tracked;
      return true;
    },
    async settled() {
      while (restarts.size) await Promise.all([...restarts]);
    },
    async stop() {
      await Promise.allSettled([...restarts]);
      for (const p of all) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await Promise.allSettled(all.map((p) => p.exited));
    },
  };
}

/** Jobs the nodes' reapers released from dead nodes, from their logs (warn: "… are gone …"). */
export function reapedJobs(all: readonly TandemProcess[]): number {
  let n = 0;
  for (const p of all) {
    for (const line of p.stderr().split('\n')) {
      if (!line.includes('are gone')) continue;
      const m = /"jobs":(\d+)/.exec(line);
      if (m) n += Number(m[1]);
    }
  }
  return n;
}

/** Log lines of every node (JSON, pino) whose message contains `text`, with their time (epoch ms). */
export function logEvents(all: readonly TandemProcess[], text: string): Array<{ t: number; line: Record<string, unknown> }> {
  const out: Array<{ t: number; line: Record<string, unknown> }> = [];
  for (const p of all) {
    for (const raw of p.stderr().split('\n')) {
      if (!raw.includes(text)) continue;
      try {
        const line = JSON.parse(raw) as Record<string, unknown>;
        const t = typeof line.time === 'number' ? line.time : Date.parse(String(line.time));
        if (Number.isFinite(t)) out.push({ t, line });
      } catch {
        // not a JSON log line
      }
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * For each kill, ms from the kill to the reap that released the killed process's jobs (the reaper's log
 * line names the dead node ids, `host:pid:…`); null when no reap named it (it held no row any more, or the
 * run ended first).
 */
export function releaseTimes(kills: readonly KillRecord[], burstStart: number, gone: ReadonlyArray<{ t: number; line: Record<string, unknown> }>): Array<number | null> {
  return kills.map((k) => {
    const at = burstStart + k.atMs;
    const reap = gone.find((g) => g.t >= at && Array.isArray(g.line.nodes) && (g.line.nodes as unknown[]).some((id) => String(id).split(':')[1] === String(k.pid)));
    return reap ? reap.t - at : null;
  });
}
