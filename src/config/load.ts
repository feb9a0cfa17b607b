/**
 * tandem.yaml → typed, validated config. The only place that reads configuration from the
 * environment: `${VAR}` references, TANDEM_DATABASE_URL, TANDEM_MASTER_KEY and TANDEM_CONFIG.
 *
 * Every problem is reported at once, one `path: message` line each, in a UsageError (exit code 2).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../shared/errors.js';
import { Config } from './schema.js';
import { configErrorMap, formatIssues, formatPath, show } from './format-issues.js';
import { addSecret, addUrlPassword, substituteEnv, type Env } from './substitute-env.js';
import { resolveStoreUrl } from './store-url.js';

export type { Env } from './substitute-env.js';

export interface LoadedConfig {
  config: Config;
  /** Every secret value the config holds (longest first): give them to createLogger for redaction. */
  secrets: string[];
  /** TANDEM_MASTER_KEY, used to encrypt stored credentials; undefined when not set. */
  masterKey?: string;
  /** Normalized store URL: `sqlite:/abs/file.db`, `sqlite::memory:` or `postgres://…`. */
  storeUrl: string;
  /** Absolute path of the config file. */
  path: string;
}

export const CONFIG_FILE_NAME = 'tandem.yaml';

/** --config, else TANDEM_CONFIG, else ./tandem.yaml. */
export function defaultConfigPath(env: Env = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env.TANDEM_CONFIG || CONFIG_FILE_NAME);
}

/** `shownAs`: how messages name the file (default: `path` as given). */
export function loadConfig(path: string, env: Env = process.env, shownAs = path): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const abs = resolve(path);
    if (code === 'ENOENT') {
      throw new UsageError(`no ${basename(abs)} in ${dirname(abs)}: run \`tandem init\` to write a starter config, or pass --config <file>`);
    }
    if (code === 'EISDIR') throw new UsageError(`${shownAs} is a folder, not a config file: pass --config ${shownAs}/${CONFIG_FILE_NAME}`);
    throw new UsageError(`cannot read ${shownAs}: ${(e as Error).message}`);
  }
  return parseAt(text, env, resolve(path), shownAs);
}

/** Parses YAML text; `source` names the file in messages and anchors relative sqlite paths. */
export function parseConfig(yamlText: string, env: Env = process.env, source = CONFIG_FILE_NAME): LoadedConfig {
  return parseAt(yamlText, env, resolve(source), source);
}

function parseAt(yamlText: string, env: Env, file: string, source: string): LoadedConfig {
  const raw = parseYaml(yamlText, source);
  const root = basename(source);
  if (raw === null || raw === undefined) {
    throw new UsageError(`${source}: the file is empty: run \`tandem init\` to write a starter config`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`${source}: must be a mapping of keys like "systems:" and "flows:", got ${show(raw)}`);
  }

  const sub = substituteEnv(raw, env);
  const lines = [...sub.errors];
  const envPaths = new Set(sub.errors.map((l) => l.slice(0, l.indexOf(': '))));
  const parsed = Config.safeParse(sub.value, { error: configErrorMap });
  if (!parsed.success) {
    // A field whose variable is missing would also fail validation: report the cause only.
    lines.push(...formatIssues(parsed.error.issues.filter((i) => !envPaths.has(formatPath(i.path))), root, sub.value));
  }

  const secrets = sub.secrets;
  const dbUrl = env.TANDEM_DATABASE_URL || undefined;
  let storeUrl = '';
  if (parsed.success) {
    const store = resolveStoreUrl(dbUrl ?? parsed.data.store.url, dirname(file));
    if (store.ok) storeUrl = store.url;
    else lines.push(`${dbUrl ? 'TANDEM_DATABASE_URL' : 'store.url'}: ${store.message}`);
  }
  if (dbUrl) addUrlPassword(secrets, dbUrl); // the URL is logged; its password never
  const masterKey = env.TANDEM_MASTER_KEY || undefined;
  if (masterKey) addSecret(secrets, masterKey);

  if (lines.length > 0 || !parsed.success) throw new UsageError(lines.join('\n'));
  return {
    config: parsed.data,
    secrets: [...secrets].sort((a, b) => b.length - a.length),
    ...(masterKey !== undefined && { masterKey }),
    storeUrl,
    path: file,
  };
}

function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const message = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const line = pos ? (text.split('\n')[pos.line - 1] ?? '') : '';
    const hint = /[{[][^}\]]*(?<!["'])\$\{/.test(line) ? ' (inside { } or [ ], quote ${VAR} references: "${VAR}")' : '';
    throw new UsageError(`${source}${pos ? `:${pos.line}:${pos.col}` : ''}: YAML syntax error: ${message}${hint}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`${source}: YAML error: ${(e as Error).message}`);
  }
}
