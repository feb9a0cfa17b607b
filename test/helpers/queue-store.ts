/**
 * The queue tests' store, set up the same way in every file: a fresh store of `kind` opened once per
 * describe block with a Queue on it, every job deleted before each test, closed and dropped after.
 *
 *   const ctx = useQueueStore(kind, { now: () => now });
 *   beforeAll(() => ({ store, queue } = ctx));   // after the helper's own beforeAll
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { Queue } from '../../src/queue/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { createTestStoreUrl } from './db.js';
import type { TestStoreKind, TestStoreUrl } from './db.js';

export interface QueueStoreOptions {
  /** The queue's clock (default: the real one). */
  now?: () => number;
  /** Runs once after the store is open (e.g. a table of the test's own). */
  setup?: (store: Store) => Promise<void>;
  /** Runs before each test, after the jobs are deleted. */
  reset?: (store: Store) => Promise<void>;
}

export interface QueueStore {
  store: Store;
  queue: Queue;
}

export function useQueueStore(kind: TestStoreKind, opts: QueueStoreOptions = {}): QueueStore {
  const ctx = {} as QueueStore & { t?: TestStoreUrl };
  beforeAll(async () => {
    ctx.t = await createTestStoreUrl(kind);
    ctx.store = await openStore(ctx.t.url);
    ctx.queue = new Queue(ctx.store, opts.now ? { now: opts.now } : {});
    await opts.setup?.(ctx.store);
  });
  afterAll(async () => {
    await ctx.store?.close();
    await ctx.t?.cleanup();
  });
  beforeEach(async () => {
    await ctx.store.db.deleteFrom('jobs').execute();
    await opts.reset?.(ctx.store);
  });
  return ctx;
}
