/**
 * `${secret:NAME}` in tandem.yaml: credentials kept encrypted in Tandem's store (AES-256-GCM with
 * TANDEM_MASTER_KEY; `tandem secret set NAME`) instead of the environment. Resolved once, when the
 * engine opens the store, before any connector is built.
 */
import type { Config } from '../config/schema.js';
import { STORED_SECRET_RE } from '../config/substitute-env.js';
import type { Store } from '../store/index.js';
import { SyncError } from '../shared/errors.js';

async function resolve(value: unknown, store: Store, path: string, found: string[]): Promise<unknown> {
  if (typeof value === 'string') {
    const m = new RegExp(STORED_SECRET_RE.source).exec(value);
    if (!m) return value;
    const name = m[1] as string;
    const secret = await store.secrets.get(name);
    if (secret === undefined) {
      throw new SyncError('config', `${path}: stored secret "${name}" does not exist`, { hint: `store it with \`tandem secret set ${name}\` (the value is read from stdin), or use \${ENV_VAR} instead` });
    }
    found.push(secret);
    return secret;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => resolve(v, store, `${path}[${i}]`, found)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolve(v, store, path ? `${path}.${k}` : k, found);
    return out;
  }
  return value;
}

/** The config with every stored-secret reference replaced by its value, and those values (for redaction). */
export async function resolveStoredSecrets(config: Config, store: Store): Promise<{ config: Config; secrets: string[] }> {
  const found: string[] = [];
  const systems = (await resolve(config.systems, store, 'systems', found)) as Config['systems'];
  const alerts = (await resolve(config.alerts, store, 'alerts', found)) as Config['alerts'];
  const server = (await resolve(config.server, store, 'server', found)) as Config['server'];
  return { config: { ...config, systems, alerts, server }, secrets: found };
}
