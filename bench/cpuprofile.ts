/**
 * Summary of a V8 .cpuprofile (from TANDEM_BENCH_CPU_PROF=<dir> or node --cpu-prof): self time per
 * function, per file, and inclusive time per function (each sample counted once per function on its stack).
 *
 *   npx tsx bench/cpuprofile.ts <file.cpuprofile> [--top 40] [--filter text]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: npx tsx bench/cpuprofile.ts <file.cpuprofile> [--top 40] [--filter text]');
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const top = Number(opt('--top') ?? 40);
const filter = opt('--filter');

const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/work\/main\//, '');
const fnKey = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;

/** Coarse owner of a frame: Tandem's folders, a package, Node's internals, V8 (GC, builtins, idle). */
function category(f: CallFrame): string {
  const u = short(f.url);
  if (!u) return f.functionName === '(idle)' || f.functionName === '(garbage collector)' || f.functionName === '(program)' ? f.functionName : `native ${f.functionName}`;
  if (u.startsWith('nm:')) return `pkg ${u.slice(3).split('/')[0] ?? ''}`;
  if (u.startsWith('node:')) return `node ${u.slice(5).replace(/^internal\//, '').split('/')[0] ?? ''}`;
  return u.split('/').slice(0, u.startsWith('src/connectors/') ? 3 : 2).join('/');
}

const self = new Map<string, number>();
const perCategory = new Map<string, number>();
const perFile = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  total += dt;
  const node = byId.get(id)!;
  const k = fnKey(node.callFrame);
  self.set(k, (self.get(k) ?? 0) + dt);
  const cat = category(node.callFrame);
  perCategory.set(cat, (perCategory.get(cat) ?? 0) + dt);
  const f = short(node.callFrame.url) || `(${node.callFrame.functionName})`;
  perFile.set(f, (perFile.get(f) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = fnKey(byId.get(cur)!.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    incl.set(key, (incl.get(key) ?? 0) + dt);
  }
});

const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
const pct = (us: number) => ((100 * us) / total).toFixed(1).padStart(5);
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)} ms ${pct(v)} %  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time per category (native = V8 builtins and syscalls: JSON, writev…)', perCategory);
print('self time per function', self);
print('self time per file', perFile);
print('inclusive time per function', incl);
