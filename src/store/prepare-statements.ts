/**
 * Named (prepared) statements for PostgreSQL, below Kysely: a statement text with parameters that this
 * process has run before gets a stable name, so each connection has the server parse and analyse it ONCE
 * and later runs only bind and execute it (and, once PostgreSQL finds its generic plan as good as the
 * custom ones, skip planning too). Kysely compiles the same text for the same query shape and sends it as
 * `client.query(text, values)`; pg then sends Parse + Bind + Execute every time. With a name, pg sends the
 * Parse once per connection (pg's own per-connection cache, `connection.parsedStatements`).
 *
 * Safe for Kysely's compiled queries: the values are bound exactly as before (text format, types left to
 * the server, which infers them from the text alone — the same text gives the same types). Statements
 * without parameters (BEGIN, COMMIT, migrations' multi-statement DDL) keep pg's simple protocol, untouched.
 *
 * Bounded: a text is named only the second time it is seen (one-off shapes, e.g. a multi-row insert's
 * odd remainder, stay unnamed), at most MAX_NAMED texts per process and texts up to MAX_TEXT characters, so
 * a connection holds at most MAX_NAMED prepared statements.
 *
 * A prepared `select *` / `returning *` fails with "cached plan must not change result type" (0A000) after
 * another process's migration changed the table: that connection then runs the text unnamed from then on
 * (the statement itself fails once, like any error the caller retries; outside a transaction it is retried
 * unnamed here at once).
 */
import type pg from 'pg';

export const MAX_NAMED = 200;
export const MAX_TEXT = 10_000;

/** Texts seen once (candidates), and the name of each text seen twice or more. */
export class StatementNames {
  private readonly seen = new Set<string>();
  private readonly names = new Map<string, string>();

  constructor(private readonly maxNamed = MAX_NAMED, private readonly maxText = MAX_TEXT) {}

  /** The name to run `text` under, or undefined (run it unnamed). */
  nameOf(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined) return name;
    if (text.length > this.maxText || this.names.size >= this.maxNamed) return undefined;
    if (!this.seen.has(text)) {
      if (this.seen.size >= this.maxNamed * 10) this.seen.clear();
      this.seen.add(text);
      return undefined;
    }
    this.seen.delete(text);
    const named = `tandem_${this.names.size + 1}`;
    this.names.set(text, named);
    return named;
  }

  get size(): number {
    return this.names.size;
  }
}

const WRAPPED = Symbol('tandem.namedStatements');

type QueryFn = (...args: unknown[]) => unknown;

function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

/**
 * Makes `client.query(text, values)` with at least one value run as a named statement (see above). Other
 * call forms (a config object, a callback, no values, a Submittable such as a cursor) pass through.
 */
export function nameStatements(client: pg.ClientBase, names: StatementNames): void {
  const c = client as unknown as { query: QueryFn; [WRAPPED]?: true };
  if (c[WRAPPED]) return;
  c[WRAPPED] = true;
  const query = c.query.bind(client) as QueryFn;
  /** Texts this connection runs unnamed after their prepared plan went stale. */
  const stale = new Set<string>();
  let inTransaction = false;
  c.query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || args.length !== 2 || !Array.isArray(values)) return query(...args);
    if (values.length === 0) {
      // Kysely's BEGIN / COMMIT / ROLLBACK (no parameters): where a retry would be inside a transaction
      const word = text.trimStart().slice(0, 8).toLowerCase();
      if (word.startsWith('begin') || word.startsWith('start')) inTransaction = true;
      else if (word.startsWith('commit') || word.startsWith('rollback') || word.startsWith('end')) inTransaction = false;
      return query(text, values);
    }
    const name = stale.has(text) ? undefined : names.nameOf(text);
    if (name === undefined) return query(text, values);
    const run = query({ name, text, values }) as Promise<unknown>;
    return run.catch((err: unknown) => {
      if (!isStalePlan(err)) throw err;
      stale.add(text);
      if (inTransaction) throw err;
      return query(text, values);
    });
  };
}
