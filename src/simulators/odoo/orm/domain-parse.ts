/**
 * Parsing and validating Odoo domains (prefix notation: '&', '|', '!' and [field, operator, value] leaves,
 * AND by default) with the error classes and messages of 17 (and 19).
 */
import { OdooError, pyRepr, pyTuple, valueError } from './errors.js';
import type { Env, Model } from './types.js';
import type { FieldDef } from './fields.js';

export const OPERATORS = new Set([
  '=', '!=', '<>', '>', '>=', '<', '<=', '=?', 'in', 'not in', 'like', 'not like', 'ilike', 'not ilike',
  '=like', '=ilike', 'child_of', 'parent_of', 'any', 'not any',
]);

export type Leaf = { path: string[]; op: string; value: unknown; raw: unknown[] };
export type Node = { and: Node[] } | { or: Node[] } | { not: Node } | { leaf: Leaf } | { const: boolean };

function m19(env: Env): boolean {
  return env.db.traits.messages === 19;
}

/** Parses and validates a domain against a model. */
export function parseDomain(env: Env, model: Model, domain: unknown): Node {
  if (domain === null || domain === undefined || domain === false || (Array.isArray(domain) && domain.length === 0)) return { and: [] };
  if (!Array.isArray(domain)) {
    if (m19(env)) throw new OdooError('builtins.TypeError', `Domain() invalid argument type for domain: ${pyRepr(domain)}`);
    throw new OdooError('builtins.AssertionError', "Domains to normalize must have a 'domain' form: a list or tuple of domain components");
  }
  // syntax first (17: normalize_domain), like Odoo
  let expected = 1;
  for (const t of domain) {
    if (expected === 0) expected = 1; // implicit '&'
    if (t === '&' || t === '|') expected += 1;
    else if (t !== '!') expected -= 1;
  }
  if (expected !== 0) {
    if (m19(env)) throw valueError(`Domain() malformed domain ${pyRepr(domain)}`);
    throw valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
  }
  let i = 0;
  const term = (): Node => {
    const t = domain[i++];
    if (t === '&' || t === '|') {
      const a = term();
      const b = term();
      return t === '&' ? { and: [a, b] } : { or: [a, b] };
    }
    if (t === '!') return { not: term() };
    return parseLeaf(env, model, t);
  };
  const terms: Node[] = [];
  while (i < domain.length) terms.push(term());
  return terms.length === 1 ? (terms[0] as Node) : { and: terms };
}

function parseLeaf(env: Env, model: Model, t: unknown): Node {
  if (!Array.isArray(t) || t.length !== 3) {
    if (m19(env) || !Array.isArray(t)) throw valueError(`Domain() invalid item in domain: ${pyRepr(t)}`);
    throw valueError(t.length < 3 ? `not enough values to unpack (expected 3, got ${t.length})` : 'too many values to unpack (expected 3)');
  }
  const [left, opRaw, value] = t as [unknown, unknown, unknown];
  if ((left === 1 || left === 0) && opRaw === '=' && value === 1) return { const: left === 1 };
  const op = typeof opRaw === 'string' ? opRaw.toLowerCase() : '';
  if (!OPERATORS.has(op)) {
    throw valueError(m19(env) ? `Invalid operator in condition ${pyTuple(t)}` : `Invalid leaf ${pyTuple(t)}`);
  }
  if (typeof left !== 'string') throw valueError(m19(env) ? `Invalid field ${pyRepr(left)} in condition ${pyTuple(t)}` : `Invalid leaf ${pyTuple(t)}`);
  const path = left.split('.');
  let m: Model | undefined = model;
  for (let k = 0; k < path.length; k++) {
    const f: FieldDef | undefined = m?.fields.get(path[k] as string);
    if (!m || !f) {
      throw valueError(`Invalid field ${m?.name ?? model.name}.${path[k]} in ${m19(env) ? 'condition' : 'leaf'} ${pyTuple(t)}`);
    }
    m = f.relation ? env.db.models.get(f.relation) : undefined;
    if (k < path.length - 1 && !f.relation) {
      throw valueError(`Invalid field ${model.name}.${left} in ${m19(env) ? 'condition' : 'leaf'} ${pyTuple(t)}`);
    }
  }
  return { leaf: { path, op: op === '<>' ? '!=' : op, value, raw: t } };
}

/** Whether the domain constrains `active` (then active_test adds nothing). */
export function mentionsActive(node: Node): boolean {
  if ('leaf' in node) return node.leaf.path[0] === 'active';
  if ('and' in node) return node.and.some(mentionsActive);
  if ('or' in node) return node.or.some(mentionsActive);
  if ('not' in node) return mentionsActive(node.not);
  return false;
}

