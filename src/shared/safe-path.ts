/**
 * Keys that must never be walked into or written by a configured path: writing through them changes the
 * prototype of every object in the process (prototype pollution). Every path function refuses them, and
 * config validation names them.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string | number): boolean {
  return typeof key === 'string' && FORBIDDEN_KEYS.has(key);
}

/** The first forbidden segment of a dotted path (`a.__proto__.b`, `variants[0].constructor`), or null. */
export function forbiddenSegment(path: string): string | null {
  for (const seg of path.split(/[.[\]]+/)) if (FORBIDDEN_KEYS.has(seg)) return seg;
  return null;
}

export function forbiddenKeyMessage(key: string): string {
  return `"${key}" is not allowed in a field path (it would change every object's prototype); use the field's real name`;
}
