/** Opens an engine from the CLI's config for the duration of one command, and closes it. */
import type { CheckNeeds } from '../connectors/contract.js';
import type { Config } from '../config/schema.js';
import type { SystemRole } from '../model/system-role.js';
import { createEngine, type RunningEngine } from '../engine/create-engine.js';
import type { CliContext } from './context.js';
import { openStore } from '../store/index.js';
import { resolveStoredSecrets } from '../engine/stored-secrets.js';

export async function withEngine<T>(ctx: CliContext, fn: (engine: RunningEngine) => Promise<T>): Promise<T> {
  const loaded = ctx.loadConfig();
  const engine = await createEngine({ config: loaded.config, storeUrl: loaded.storeUrl, ...(loaded.masterKey && { masterKey: loaded.masterKey }), log: ctx.logger, onSecrets: (v) => ctx.addSecrets(v) });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/**
 * For commands that read only the store (trace, dlq list/show, reports): the systems' credentials need
 * not be in the environment (the connectors are built but never called).
 */
export async function withStoreEngine<T>(ctx: CliContext, fn: (engine: RunningEngine) => Promise<T>): Promise<T> {
  const loaded = ctx.loadConfig({ storeOnly: true });
  const engine = await createEngine({ config: loaded.config, storeUrl: loaded.storeUrl, ...(loaded.masterKey && { masterKey: loaded.masterKey }), log: ctx.logger, onSecrets: (v) => ctx.addSecrets(v) });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** The config with `${secret:NAME}` credentials decrypted (opens the store only when there are some). */
export async function resolvedConfig(ctx: CliContext): Promise<Config> {
  const loaded = ctx.loadConfig();
  if (!JSON.stringify(loaded.config).includes('${secret:')) return loaded.config;
  const store = await openStore(loaded.storeUrl, { ...(loaded.masterKey && { masterKey: loaded.masterKey }), log: ctx.logger, preparedStatements: loaded.config.store.preparedStatements });
  try {
    const { config, secrets } = await resolveStoredSecrets(loaded.config, store);
    ctx.addSecrets(secrets);
    return config;
  } finally {
    await store.close();
  }
}

/** What the configured flows need from each side, for `check`. */
export function needsOf(config: Config, side: SystemRole): CheckNeeds {
  const needs: CheckNeeds = { entities: {}, actions: [] };
  for (const f of config.flows.filter((x) => x.enabled)) {
    const reads = f.direction === 'both' || (side === 'shop' ? f.direction === 'shop->erp' : f.direction === 'erp->shop');
    const writes = f.direction === 'both' || (side === 'shop' ? f.direction === 'erp->shop' : f.direction === 'shop->erp');
    const ops: Array<'read' | 'write'> = [...(reads ? (['read'] as const) : []), ...(writes ? (['write'] as const) : [])];
    needs.entities[f.entity] = ops;
    if (f.entity === 'order') {
      needs.entities.order = ['read', 'write'];
      needs.actions!.push('orders', 'fulfilment', 'invoicing', 'payments', 'returns', 'refunds', 'cancellation');
      if (side === 'erp') needs.entities.customer = [...new Set([...(needs.entities.customer ?? []), 'read', 'write'] as Array<'read' | 'write'>)];
    }
    if (f.entity === 'stock') needs.actions!.push('stock');
  }
  return needs;
}

/** Formats rows as an aligned text table. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
