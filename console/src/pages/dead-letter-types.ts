export interface DeadLetter {
  id: string;
  kind: string;
  key: string | null;
  attempts: number;
  error: { kind?: string; message?: string; hint?: string; record?: string; field?: string } | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

/** What a dead letter is about, in words: "order 1042", "product shop:17". */
export function subject(d: DeadLetter): string {
  const p = (d.payload ?? {}) as { entity?: string; source?: string; ids?: unknown[]; shopId?: string; number?: string };
  if (p.shopId) return `order ${p.number ?? p.shopId}`;
  if (p.entity) return `${p.entity}${p.ids?.length ? ` ${p.source ?? ''}:${p.ids.join(', ')}` : ''}`;
  return d.key ?? d.kind;
}

/** The cause a dead letter is grouped under: the error kind and its message with ids and numbers taken out. */
export function cause(d: DeadLetter): string {
  const msg = (d.error?.message ?? 'no error recorded').replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
  return `${d.error?.kind ?? 'unknown'}: ${msg}`;
}

/** Where a JSON text is wrong, in words, or null when it parses. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return `not valid JSON: ${(e as Error).message}`;
  }
}
