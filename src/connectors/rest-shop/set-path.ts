/** Field paths like `variants[0].price.amount` or `data.attributes.title`: parse, read and write. */
import { forbiddenKeyMessage, isForbiddenKey } from '../../shared/safe-path.js';

export type PathSegment = string | number;

const SEGMENT_RE = /([^.[\]]+)|\[(\d+)\]/g;

export function parsePath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  let consumed = 0;
  for (const m of path.matchAll(SEGMENT_RE)) {
    const gap = path.slice(consumed, m.index).replace(/\./g, '');
    if (gap.length > 0) throw new Error(`unexpected "${gap}"`);
    const seg = m[2] !== undefined ? Number(m[2]) : (m[1] as string);
    if (isForbiddenKey(seg)) throw new Error(forbiddenKeyMessage(String(seg)));
    out.push(seg);
    consumed = (m.index ?? 0) + m[0].length;
  }
  if (out.length === 0 || path.slice(consumed).replace(/\./g, '') !== '') throw new Error('empty or malformed path');
  return out;
}

type Container = Record<string, unknown> | unknown[];

/** Sets `value` at the path inside `target`, creating objects and arrays on the way. */
export function setPath(target: Record<string, unknown>, segments: PathSegment[], value: unknown): void {
  let node: Container = target;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as PathSegment;
    const last = i === segments.length - 1;
    const holder = node as Record<string | number, unknown>;
    if (isForbiddenKey(seg)) throw new Error(forbiddenKeyMessage(String(seg)));
    if (last) {
      holder[seg] = value;
      return;
    }
    const next = segments[i + 1];
    let child = Object.hasOwn(holder, seg) ? holder[seg] : undefined;
    if (child === null || typeof child !== 'object') {
      child = typeof next === 'number' ? [] : {};
      holder[seg] = child;
    }
    node = child as Container;
  }
}

export function getPath(source: unknown, segments: PathSegment[]): unknown {
  let node = source;
  for (const seg of segments) {
    if (node === null || typeof node !== 'object' || isForbiddenKey(seg) || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}
