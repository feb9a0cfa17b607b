/** Opens the store of the CLI's config for one command (no connectors), and closes it. */
import { openStore, type Store } from '../store/index.js';
import type { CliContext } from './context.js';

export async function withStore<T>(ctx: CliContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const loaded = ctx.loadConfig({ storeOnly: true });
  const store = await openStore(loaded.storeUrl, { ...(loaded.masterKey && { masterKey: loaded.masterKey }), log: ctx.logger, preparedStatements: loaded.config.store.preparedStatements });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
