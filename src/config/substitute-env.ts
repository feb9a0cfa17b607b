/**
 * `${VAR}` references in the parsed YAML, resolved from the environment BEFORE validation.
 *
 *   ${VAR}           the variable's value; an error when it is unset or empty
 *   ${VAR:-default}  the default when VAR is unset or empty
 *   ${VAR-default}   the default when VAR is unset
 *   $${VAR}          a literal "${VAR}"
 *   ${secret:NAME}   kept as is: a credential stored encrypted in Tandem's store (`tandem secret set NAME`),
 *                    resolved when the engine opens the store
 *
 * Only string values are substituted (never keys). Every value that lands in a secret field, or comes
 * from a variable whose name says it is secret, is collected so the logger can redact it anywhere.
 */
import { formatPath } from './format-issues.js';

export type Env = Record<string, string | undefined>;

export interface Substituted {
  value: unknown;
  /** `path: message` lines; empty when every reference resolved. */
  errors: string[];
  secrets: Set<string>;
}

const REF_RE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;
/** Keys whose value is a credential, wherever they appear. */
const SECRET_KEYS = new Set(['apikey', 'apitoken', 'consumerkey', 'consumersecret', 'webhooksecret', 'secret', 'token', 'password', 'smtp', 'masterkey']);
const SECRET_VAR_RE = /(KEY|SECRET|TOKEN|PASS|PWD|CREDENTIAL|AUTH)/i;
/** Shorter values are not redacted by value (they would blank out ordinary words and numbers). */
export const MIN_SECRET_LENGTH = 4;

export function isSecretKey(path: readonly PropertyKey[]): boolean {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return false;
  if (SECRET_KEYS.has(key.toLowerCase())) return true;
  return key === 'value' && path[path.length - 2] === 'auth';
}

/** Adds a secret and the forms it takes inside URLs (the password of `scheme://user:pass@host`). */
export function addSecret(secrets: Set<string>, value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  addUrlPassword(secrets, value);
}

export function addUrlPassword(secrets: Set<string>, value: string): void {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) return;
  try {
    const url = new URL(value);
    if (url.password) {
      const decoded = decodeURIComponent(url.password);
      for (const p of [url.password, decoded]) if (p.length >= MIN_SECRET_LENGTH) secrets.add(p);
    }
  } catch {
    // not a URL after all: nothing to extract
  }
}

/** `${secret:NAME}`: a reference to a stored secret, left for the engine to resolve. */
export const STORED_SECRET_RE = /\$\{secret:([A-Za-z0-9_.-]+)\}/g;

function substituteString(text: string, path: PropertyKey[], env: Env, out: Substituted): string {
  const where = formatPath(path);
  if (STORED_SECRET_RE.test(text)) {
    STORED_SECRET_RE.lastIndex = 0;
    if (text.replace(STORED_SECRET_RE, '').includes('${')) out.errors.push(`${where}: ${JSON.stringify(text)} mixes a \${secret:NAME} reference with other references; give the field only one`);
    return text;
  }
  let fromSecretVar = false;
  let substituted = false;
  const result = text.replace(REF_RE, (match, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const name_ = name as string;
    const value = env[name_];
    substituted = true;
    if (SECRET_VAR_RE.test(name_)) fromSecretVar = true;
    if (op === ':-' && (value === undefined || value === '')) return fallback ?? '';
    if (op === '-' && value === undefined) return fallback ?? '';
    if (value === undefined) {
      out.errors.push(`${where}: environment variable ${name_} is not set`);
      return '';
    }
    if (value === '' && op === undefined) {
      out.errors.push(`${where}: environment variable ${name_} is set but empty`);
      return '';
    }
    return value;
  });
  if (text.replace(REF_RE, '').includes('${')) {
    out.errors.push(`${where}: ${JSON.stringify(text)} has a malformed reference: write \${NAME} or \${NAME:-default} (NAME: letters, digits, _)`);
  }
  if (isSecretKey(path) || (substituted && fromSecretVar)) addSecret(out.secrets, result);
  else addUrlPassword(out.secrets, result);
  return result;
}

function walk(value: unknown, path: PropertyKey[], env: Env, out: Substituted): unknown {
  if (typeof value === 'string') return substituteString(value, path, env, out);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i], env, out));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" key in the YAML stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k], env, out)]));
  }
  return value;
}

/** Returns a copy of `value` with every reference resolved, the errors, and the secrets seen. */
export function substituteEnv(value: unknown, env: Env): Substituted {
  const out: Substituted = { value: undefined, errors: [], secrets: new Set() };
  out.value = walk(value, [], env, out);
  return out;
}
