/**
 * Checks of a webhook's raw body that no connector should have to repeat, made before anything parses it:
 * strict UTF-8 (a body with invalid byte sequences is refused, never silently repaired into other
 * bytes than the ones signed), and a JSON nesting limit found by a linear scan (no recursion, no
 * parse), so a deeply nested body can overflow no stack anywhere later.
 */
import { createHash } from 'node:crypto';

export const MAX_WEBHOOK_JSON_DEPTH = 64;

export type BodyCheck = { ok: true } | { ok: false; status: 400 | 422; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The deepest nesting of `[`/`{` outside JSON strings; stops counting once past `limit`. */
export function jsonDepth(body: Buffer, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return max;
}

export function checkWebhookBody(body: Buffer, maxDepth = MAX_WEBHOOK_JSON_DEPTH): BodyCheck {
  try {
    utf8.decode(body);
  } catch {
    return { ok: false, status: 400, reason: 'body is not valid UTF-8' };
  }
  if (jsonDepth(body, maxDepth) > maxDepth) return { ok: false, status: 422, reason: `JSON nested deeper than ${maxDepth} levels` };
  return { ok: true };
}

/** The de-duplication key of a delivery: the hash of the raw body the signature covers. */
export function deliveryKey(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
