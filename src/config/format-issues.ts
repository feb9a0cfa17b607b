/**
 * zod issues → one line per problem, `path: message`, with paths written the way a person reads the
 * YAML: `flows[2].schedule`, `systems.erp.apiKey`. Messages say what was expected and what was found.
 */
import type { z } from 'zod';
import { didYouMean } from './suggest.js';
import { ENTITY_TYPES } from '../model/entities.js';

type RawIssue = z.core.$ZodRawIssue;

/** `["flows", 2, "schedule"]` → `flows[2].schedule`; keys that are not plain words are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][\w-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** flows[<i>]… → flows[<entity>]… when the flow at that index names its entity (and no other flow does). */
function flowPath(path: readonly PropertyKey[], raw: unknown): string | undefined {
  if (path[0] !== 'flows' || typeof path[1] !== 'number' || !raw || typeof raw !== 'object') return undefined;
  const flows = (raw as { flows?: unknown }).flows;
  if (!Array.isArray(flows)) return undefined;
  const entity = (flows[path[1]] as { entity?: unknown } | undefined)?.entity;
  if (typeof entity !== 'string' || !(ENTITY_TYPES as readonly string[]).includes(entity) || flows.filter((f) => (f as { entity?: unknown } | null)?.entity === entity).length !== 1) return undefined;
  const rest = formatPath(path.slice(2));
  return `flows[${entity}]${rest && !rest.startsWith('[') ? `.${rest}` : rest}`;
}

/** A value as it would be quoted back to the user. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

const EXPECTED: Record<string, string> = {
  string: 'a text value',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  array: 'a list',
};

function listValues(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function shapeKeys(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

function describeInst(inst: unknown): string | undefined {
  const d = (inst as { description?: unknown } | undefined)?.description;
  return typeof d === 'string' ? d : undefined;
}

function bound(origin: string, n: number | bigint, inclusive: boolean | undefined, side: 'min' | 'max'): string {
  const atLeast = side === 'min' ? 'at least' : 'at most';
  const strict = side === 'min' ? 'more than' : 'less than';
  if (origin === 'string') {
    if (side === 'min' && Number(n) === 1) return 'must not be empty';
    return `must be ${atLeast} ${n} characters long`;
  }
  if (origin === 'array' || origin === 'set') return `must have ${atLeast} ${n} item${Number(n) === 1 ? '' : 's'}`;
  return `must be ${inclusive === false ? strict : atLeast} ${n}`;
}

/**
 * Error map passed to safeParse: gives every issue zod would describe generically a message for a
 * person. Messages set by the schema itself (refinements) take precedence over this map.
 * A multi-line message becomes several `path: line` lines.
 */
export const configErrorMap: z.core.$ZodErrorMap = (iss: RawIssue) => {
  const got = `got ${show(iss.input)}`;
  switch (iss.code) {
    case 'invalid_type': {
      const expected = EXPECTED[iss.expected] ?? iss.expected;
      if (iss.input === undefined) {
        const what = describeInst(iss.inst);
        return `is required${what ? ` (${what})` : ''}`;
      }
      return `must be ${expected}, ${got}`;
    }
    case 'invalid_value': {
      if (iss.values.length === 1) return `must be ${JSON.stringify(iss.values[0])}, ${got}`;
      const hint = typeof iss.input === 'string' ? didYouMean(iss.input, iss.values.map(String)) : '';
      return `must be one of ${listValues(iss.values)}, ${got}${hint}`;
    }
    case 'invalid_union': {
      const options = (iss as { options?: readonly unknown[] }).options;
      if (iss.discriminator && options) {
        const input = iss.input as Record<string, unknown> | undefined;
        const value = input && typeof input === 'object' ? input[iss.discriminator] : undefined;
        const hint = typeof value === 'string' ? didYouMean(value, options.map(String)) : '';
        if (value === undefined) return `is required: one of ${listValues(options)}`;
        return `must be one of ${listValues(options)}, got ${show(value)}${hint}`;
      }
      return `${show(iss.input)} does not match any allowed form`;
    }
    case 'unrecognized_keys': {
      const known = shapeKeys(iss.inst);
      return iss.keys.map((k) => `unknown key "${k}"${didYouMean(k, known.filter((c) => c !== k))}`).join('\n');
    }
    case 'invalid_key': {
      const inner = iss.issues.map((i) => i.message).join('; ');
      return `${show(iss.path?.[iss.path.length - 1])} is not an allowed name: ${inner}`;
    }
    case 'too_small':
      return `${bound(iss.origin, iss.minimum, iss.inclusive, 'min')}, ${got}`;
    case 'too_big':
      return `${bound(iss.origin, iss.maximum, iss.inclusive, 'max')}, ${got}`;
    case 'invalid_format': {
      const input = show(iss.input);
      if (iss.format === 'url') return `${input} is not a valid URL (like https://example.com)`;
      if (iss.format === 'email') return `${input} is not a valid email address`;
      if (iss.format === 'regex') return `${input} does not match the pattern ${iss.pattern ?? ''}`.trimEnd();
      return `${input} is not a valid ${iss.format}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${iss.divisor}, ${got}`;
    default:
      return undefined;
  }
};

/** `path: message` lines; the top level is named by `root` (the file name). */
/** `raw`: the config as written; a flow is then named by its entity (`flows[order]`) rather than its index. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root: string, raw?: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const where = flowPath(issue.path, raw) ?? (formatPath(issue.path) || root);
    for (const line of issue.message.split('\n')) lines.push(`${where}: ${line}`);
  }
  return lines;
}
