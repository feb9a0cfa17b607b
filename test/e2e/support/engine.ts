/**
 * Engines for end-to-end tests: one per "process" of Tandem (a test opens a second engine on the same
 * store to play the rerun after a crash), with a quiet logger, and optionally the serve part (worker +
 * HTTP server with the shop's webhooks pointed at it).
 */
import pino from 'pino';
import type { Config } from '../../../src/config/schema.js';
import { createEngine, type RunningEngine } from '../../../src/engine/create-engine.js';
import { startRuntime, type Runtime } from '../../../src/engine/runtime.js';
import { startHttpServer, type HttpServer } from '../../../src/server/http-server.js';
import type { Logger } from '../../../src/shared/log.js';
import type { Engine } from '../../../src/engine/context.js';
import { flowJob } from '../../../src/engine/jobs/kinds.js';
import type { EntityType } from '../../../src/model/entities.js';
import { scheduleKey } from '../../../src/queue/index.js';
import { WEBHOOK_SECRET, type Sims } from './sims.js';

export function quietLog(): Logger {
  return pino({ level: process.env.E2E_LOG ?? 'silent' });
}

export function openEngine(config: Config, opts: { now?: () => Date } = {}): Promise<RunningEngine> {
  return createEngine({ config, storeUrl: config.store.url, log: quietLog(), ...(opts.now && { now: opts.now }) });
}

export interface Serving {
  runtime: Runtime;
  http: HttpServer;
  /** Delivers pending shop webhooks and runs every queued job, until nothing is left. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** Worker + HTTP server over `engine` (no schedules: tests trigger polls themselves); shop webhooks point at it. */
export async function serve(engine: RunningEngine, sims: Sims, opts: { webhooks?: boolean } = {}): Promise<Serving> {
  const runtime = startRuntime(engine, { schedules: false, pollIntervalMs: 20, concurrency: 2 });
  const http = await startHttpServer(engine, { host: '127.0.0.1', port: 0, ready: () => true });
  sims.shop.setWebhook(opts.webhooks === false ? null : { url: `${http.url}/webhooks/shop`, secret: WEBHOOK_SECRET });
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await sims.shop.flushWebhooks();
      await runtime.worker.drain();
    }
  };
  return {
    runtime,
    http,
    settle,
    async stop() {
      sims.shop.setWebhook(null);
      await sims.shop.flushWebhooks();
      await runtime.stop({ timeoutMs: 10_000 });
      await http.close();
    },
  };
}

/** What the scheduler does when a flow is due: enqueue its poll job (deduped per flow). Then `settle()`. */
export async function enqueuePoll(engine: Engine, entity: EntityType): Promise<string> {
  return engine.queue.enqueue({ ...flowJob(engine, entity), key: scheduleKey(`flow:${entity}`), dedupe: true });
}
