/** `tandem serve`: webhook server, scheduler and workers in one process, until stopped. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { createEngine, type RunningEngine } from '../../engine/create-engine.js';
import { startRuntime } from '../../engine/runtime.js';
import { maintainWebhooks } from '../../engine/maintain-webhooks.js';
import { alertNewDeadLetters } from '../../engine/watch-health.js';
import { startHttpServer, type HttpServer } from '../../server/http-server.js';
import { METRICS_ROUTES } from '../../server/routes.js';
import { runRetention } from '../../server/run-retention.js';
import { checkAccessSetup } from '../../server/check-access-setup.js';
import { pollingOnlyWarning } from '../../engine/webhook-state.js';
import { parseListen } from '../../config/server-config.js';
import { parseInterval } from '../../config/duration.js';
import { UsageError, toSyncError } from '../../shared/errors.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  workers?: string;
  scheduler?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('serve')
    .description('run the webhook server, REST API, /metrics, the scheduler and the workers until stopped')
    .option('--host <host>', 'listen address (default: server.host of the config)')
    .option('--port <port>', 'listen port (default: server.port of the config; 0 = any free port)')
    .option('--workers <n>', 'jobs run at the same time (default: workers.concurrency)')
    .option('--no-scheduler', 'do not poll on the schedules (another process does)')
    .action(act(session, (opts: ServeOptions, ctx) => action(opts, ctx)));
}

const DEAD_LETTER_CHECK_MS = 60_000;
const RETENTION_MS = 60 * 60_000;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

/** Starts a listener; a busy port is one clear line and exit 1. */
async function listen(engine: RunningEngine, opts: Parameters<typeof startHttpServer>[1], port: number, setting = 'server.port or --port'): Promise<HttpServer> {
  try {
    return await startHttpServer(engine, opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use; set ${setting} to a free port (another tandem serve may be running)`, 1);
    if (code === 'EACCES') throw new UsageError(`port ${port} needs privileges; set ${setting} to a port above 1023`, 1);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${opts?.host ?? engine.config.server.host}: no such address on this machine; set server.host or --host`, 1);
    throw e;
  }
}

/** The address a person opens: a wildcard listen address is reached on localhost. */
export function consoleUrl(url: string): string {
  return url.replace('://0.0.0.0:', '://localhost:').replace('://[::]:', '://localhost:') + '/';
}

/** Resolves on SIGTERM / SIGINT (then the handlers are removed again). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGTERM', term);
      process.off('SIGINT', intr);
      resolve(sig);
    };
    const term = () => on('SIGTERM');
    const intr = () => on('SIGINT');
    process.on('SIGTERM', term);
    process.on('SIGINT', intr);
  });
}

export async function action(opts: ServeOptions, ctx: CliContext): Promise<number> {
  const loaded = ctx.loadConfig();
  const port = int(opts.port, 'port');
  const workers = int(opts.workers, 'workers');
  const engine = await createEngine({ config: loaded.config, storeUrl: loaded.storeUrl, ...(loaded.masterKey && { masterKey: loaded.masterKey }), log: ctx.logger, onSecrets: (v) => ctx.addSecrets(v) });
  const host = opts.host ?? engine.config.server.host;
  let warnings: string[];
  try {
    warnings = await checkAccessSetup(engine, host);
  } catch (e) {
    await engine.close();
    throw e;
  }
  const pollingOnly = pollingOnlyWarning(engine);
  if (pollingOnly) warnings.push(pollingOnly);
  for (const w of warnings) {
    engine.log.warn(w);
    ctx.err(`warning: ${w}`);
  }
  let running = false;
  // listen first: a busy port ends the command before anything else starts (no half-started serve)
  let http: HttpServer;
  try {
    http = await listen(engine, { host, ...(port !== undefined && { port }), ready: () => running }, port ?? engine.config.server.port);
  } catch (e) {
    await engine.close();
    throw e;
  }
  let metricsHttp: HttpServer | undefined;
  const metricsListen = engine.config.server.metrics?.listen;
  if (metricsListen) {
    const l = parseListen(metricsListen)!;
    metricsHttp = await listen(engine, { host: l.host, port: l.port, routes: METRICS_ROUTES }, l.port, 'server.metrics.listen').catch(async (e: unknown) => {
      await http.close();
      await engine.close();
      throw e;
    });
    ctx.err(`tandem serve: /metrics without credentials on ${metricsHttp.url}/metrics (loopback only)`);
  }
  const runtime = startRuntime(engine, { schedules: opts.scheduler !== false, ...(workers && { concurrency: workers }) });
  running = true;
  const purge = () => runRetention(engine).catch((e: unknown) => engine.log.warn({ err: toSyncError(e).describe() }, 'retention purge failed; it runs again in an hour'));
  void purge();
  const purgeTimer = setInterval(() => void purge(), RETENTION_MS);
  const checkWebhooks = () =>
    maintainWebhooks(engine).catch((e: unknown) => engine.log.warn({ err: toSyncError(e).describe() }, 'could not check the shop\'s webhooks; polling continues'));
  const checkDead = () => alertNewDeadLetters(engine).catch((e: unknown) => engine.log.warn({ err: toSyncError(e).describe() }, 'could not check dead letters'));
  void checkWebhooks();
  const timer = setInterval(() => void checkWebhooks(), parseInterval(engine.config.server.webhookCheck) ?? 60_000);
  const deadTimer = setInterval(() => void checkDead(), DEAD_LETTER_CHECK_MS);
  engine.log.info({ url: http.url, shop: engine.names.shop, erp: engine.names.erp }, 'tandem serve: listening');
  ctx.err(`tandem serve: listening on ${http.url} (webhooks at ${http.url}/webhooks/<system>, metrics at /metrics with a viewer token, dashboard at /); stop with Ctrl-C`);
  ctx.out(`console: ${consoleUrl(http.url)} (sign in as a user made with \`tandem user add\`)`);
  const signal = await untilSignal();
  engine.log.info({ signal }, 'stopping: no new jobs are claimed, running ones finish');
  clearInterval(timer);
  clearInterval(deadTimer);
  clearInterval(purgeTimer);
  running = false;
  await http.close();
  await metricsHttp?.close();
  await runtime.stop({ timeoutMs: 30_000 });
  await engine.close();
  engine.log.info('stopped');
  return 0;
}
