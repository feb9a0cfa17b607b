/**
 * Multi-row statements with their SQL compiled once per shape. Kysely builds and compiles a query anew
 * on every call: for a 500-row insert or an IN list of 500 ids that is hundreds of operation nodes per
 * batch, only to produce the same SQL text again. The text depends on the dialect, the plugins and the
 * number of rows, so it is remembered per (the query compiled for ONE row, rows) and run again with the
 * new parameters; better-sqlite3's statement cache then finds the prepared statement by that same text.
 */
import { CompiledQuery, type Compilable } from 'kysely';
import type { Executor } from './schema.js';

/** SQL text per shape; null: the shape's parameters are not the rows' own (always built afresh). */
const shapes = new Map<string, string | null>();
const MAX_SHAPES = 256;

/**
 * Runs `build(rows)` for `rows.length` rows, with the SQL of an earlier call for as many rows when there
 * was one. `params(row)` must list a row's parameters in the order the built query binds them, and
 * `fixed` the parameters bound before the rows; a query whose parameters are not exactly
 * fixed + rows' params (checked when the shape is first compiled) is always built afresh.
 */
export async function executeReused<R, T>(db: Executor, rows: readonly T[], build: (rows: readonly T[]) => Compilable<R>, params: (row: T) => unknown[], fixed: readonly unknown[] = []): Promise<R[]> {
  if (rows.length === 0) return (await db.executeQuery(build(rows))).rows;
  const probe = build(rows.slice(0, 1)).compile().sql;
  const key = `${rows.length}\u0000${probe}`;
  let shape = shapes.get(key);
  const flat: unknown[] = [...fixed];
  for (const row of rows) for (const p of params(row)) flat.push(p);
  if (shape === undefined) {
    const compiled = build(rows).compile();
    const same = compiled.parameters.length === flat.length && compiled.parameters.every((p, i) => Object.is(p, flat[i]));
    shape = same ? compiled.sql : null;
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(key, shape);
    return (await db.executeQuery(compiled)).rows;
  }
  if (shape === null) return (await db.executeQuery(build(rows))).rows;
  return (await db.executeQuery(CompiledQuery.raw(shape, flat) as CompiledQuery<R>)).rows;
}
