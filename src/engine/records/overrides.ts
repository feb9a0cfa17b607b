/**
 * Field overrides from tandem.yaml (`flows[].fields`): canonical field → JSONata expression evaluated
 * over the source record in its own shape, with `$canonical` bound to the mapped record. Compiled once.
 */
import jsonata from 'jsonata';
import { SyncError } from '../../shared/errors.js';
import { forbiddenKeyMessage, forbiddenSegment, isForbiddenKey } from '../../shared/safe-path.js';

export interface CompiledOverrides {
  readonly size: number;
  apply<T extends object>(canonical: T, raw: unknown, where: { entity: string; record: string }): Promise<T>;
}

export function compileOverrides(fields: Record<string, string>, flowPath: string): CompiledOverrides {
  const compiled = Object.entries(fields).map(([path, expr]) => {
    const bad = forbiddenSegment(path);
    if (bad !== null) throw new SyncError('config', `${flowPath}.fields: ${forbiddenKeyMessage(bad)}`);
    try {
      return { path, expr: jsonata(expr) };
    } catch (e) {
      throw new SyncError('config', `${flowPath}.fields.${path}: "${expr}" is not a valid JSONata expression: ${(e as Error).message}`);
    }
  });
  return {
    size: compiled.length,
    async apply<T extends object>(canonical: T, raw: unknown, where: { entity: string; record: string }): Promise<T> {
      if (compiled.length === 0) return canonical;
      const out = structuredClone(canonical) as Record<string, unknown>;
      for (const { path, expr } of compiled) {
        let value: unknown;
        try {
          value = await expr.evaluate(raw ?? {}, { canonical });
        } catch (e) {
          throw new SyncError('mapping', `override of "${path}" failed: ${(e as Error).message}`, {
            ...where,
            field: path,
            hint: `fix the JSONata expression at ${flowPath}.fields.${path}`,
          });
        }
        setPath(out, path, value);
      }
      return out as T;
    },
  };
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  const bad = parts.find(isForbiddenKey);
  if (bad !== undefined) throw new Error(forbiddenKeyMessage(bad));
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    const next = Object.hasOwn(cur, p) ? cur[p] : undefined;
    if (Array.isArray(next)) {
      // 'variants.price' applies to every item
      const rest = parts.slice(parts.indexOf(p) + 1).join('.');
      for (const item of next) setPath(item as Record<string, unknown>, rest, value);
      return;
    }
    if (!next || typeof next !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}
