/**
 * `tandem sandbox`: try Tandem without real systems. Starts the bundled Odoo and shop simulators on free
 * ports, writes tandem.yaml (the starter config pointed at them) and .env (their credentials), seeds a
 * catalog in Odoo, and runs until Ctrl-C. `tandem sandbox order` / `tandem sandbox stock` act on it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { Option, type Command } from 'commander';
import { STARTER_SHOPS, type StarterShop } from '../../config/starter.js';
import { UsageError } from '../../shared/errors.js';
import { SANDBOX_CATALOG } from '../../sandbox/catalog.js';
import { SANDBOX_MARK, sandboxConfig, sandboxEnv } from '../../sandbox/config-text.js';
import { startSandbox } from '../../sandbox/sandbox.js';
import { callSandbox, removeState, runningSandbox, writeState } from '../../sandbox/state-file.js';
import { act, group, type CliContext, type Session } from '../context.js';

interface StartOptions {
  shop: StarterShop;
  odooVersion: '17' | '19';
  port?: string;
  force?: boolean;
}

export function register(program: Command, session: Session): void {
  const sandbox = group(program, 'sandbox', 'try Tandem without real systems: simulated Odoo and shop on this machine');
  sandbox
    .command('start', { isDefault: true })
    .description('start the simulators, write tandem.yaml and .env for them, seed a catalog; runs until Ctrl-C')
    .addOption(new Option('--shop <type>', 'the simulated shop').choices(STARTER_SHOPS).default('woocommerce'))
    .addOption(new Option('--odoo-version <n>', 'the simulated Odoo version').choices(['17', '19']).default('17'))
    .option('--port <port>', 'the port `tandem serve` will listen on (default: a free one)')
    .option('--force', 'overwrite a tandem.yaml / .env that the sandbox did not write')
    .action(act(session, (opts: StartOptions, ctx) => start(opts, ctx)));
  sandbox
    .command('order')
    .description('place a paid order in the running sandbox shop')
    .option('--sku <sku>', `the product (default ${SANDBOX_CATALOG[0]!.sku})`)
    .option('--qty <n>', 'quantity (default 1)')
    .option('--email <email>', 'the customer (default sandbox.buyer@example.com)')
    .action(act(session, async (opts: { sku?: string; qty?: string; email?: string }, ctx) => {
      const r = await callSandbox(ctx.configPath, 'order', { ...(opts.sku && { sku: opts.sku }), ...(opts.qty && { qty: Number(opts.qty) }), ...(opts.email && { email: opts.email }) });
      ctx.out(`placed order ${String(r.number)} (shop id ${String(r.id)}): ${String(r.quantity)} × ${String(r.sku)}, paid`);
      ctx.out(`with \`tandem serve\` running it is imported within seconds (webhook); else run \`tandem sync order\`. Then: tandem trace ${String(r.number)}`);
      return 0;
    }));
  sandbox
    .command('stock')
    .description("set a product's on-hand quantity in the sandbox ERP (the stock master)")
    .requiredOption('--sku <sku>', 'the product')
    .requiredOption('--qty <n>', 'the new on-hand quantity in WH/Stock')
    .action(act(session, async (opts: { sku: string; qty: string }, ctx) => {
      const r = await callSandbox(ctx.configPath, 'stock', { sku: opts.sku, qty: Number(opts.qty) });
      ctx.out(`ERP on hand of ${String(r.sku)} in ${String(r.location)}: ${String(r.qty)}`);
      ctx.out('the shop gets it on the next stock poll (every 5m with `tandem serve`) or now with `tandem sync stock`');
      return 0;
    }));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function writtenBySandbox(path: string): boolean {
  return !existsSync(path) || readFileSync(path, 'utf8').startsWith(SANDBOX_MARK);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

async function start(opts: StartOptions, ctx: CliContext): Promise<number> {
  const configPath = ctx.configPath;
  const dir = dirname(configPath);
  const envPath = join(dir, '.env');
  const shown = (p: string) => relative(ctx.cwd, p) || p;
  const running = runningSandbox(configPath);
  if (running) throw new UsageError(`a sandbox runs already for ${shown(configPath)} (pid ${running.pid}): stop it (Ctrl-C) first`);
  for (const p of [configPath, envPath]) {
    if (!opts.force && !writtenBySandbox(p)) throw new UsageError(`${shown(p)} exists and is not a sandbox's: pass --force to overwrite it, or run the sandbox in an empty folder`);
  }
  const serverPort = opts.port !== undefined ? Number(opts.port) : await freePort();
  if (!Number.isInteger(serverPort) || serverPort < 1 || serverPort > 65535) throw new UsageError(`--port must be a port number, got "${opts.port}"`);
  const sandbox = await startSandbox({ shop: opts.shop, odooVersion: Number(opts.odooVersion) as 17 | 19, serverPort });
  try {
    const config = sandboxConfig({ shop: opts.shop, shopUrl: sandbox.state.shopUrl, odooUrl: sandbox.odoo.url, odooDb: sandbox.odoo.db, odooUser: sandbox.odoo.admin.login, serverPort });
    mkdirSync(join(dir, '.tandem'), { recursive: true });
    // new simulators: the links and cursors of a previous sandbox would point at records that are gone
    for (const f of ['tandem.db', 'tandem.db-wal', 'tandem.db-shm']) rmSync(join(dir, '.tandem', f), { force: true });
    writeFileSync(configPath, config);
    writeFileSync(envPath, sandboxEnv(config, sandbox.env), { mode: 0o600 });
    writeState(configPath, sandbox.state);
  } catch (e) {
    await sandbox.close();
    throw e;
  }
  ctx.out(`sandbox running: Odoo ${opts.odooVersion} simulator at ${sandbox.odoo.url}, ${opts.shop} simulator at ${sandbox.state.shopUrl}`);
  ctx.out(`catalog in Odoo: ${SANDBOX_CATALOG.length} products (${SANDBOX_CATALOG.map((p) => p.sku).join(', ')}), nothing in the shop yet`);
  ctx.out(`wrote ${shown(configPath)} (the \`tandem init --shop ${opts.shop}\` starter pointed at the simulators) and ${shown(envPath)} (their credentials)`);
  ctx.out('next, in another terminal in this folder:');
  for (const step of ['tandem check', 'tandem plan', 'tandem sync --initial', 'tandem user add admin --role admin', 'tandem serve', 'tandem sandbox order --sku SNK-RUN-42 --qty 2', 'tandem trace <order number>', 'tandem sandbox stock --sku CAP-1 --qty 0']) ctx.out(`  ${step}`);
  ctx.out('stop with Ctrl-C (the simulators keep their data only while they run)');
  await untilSignal();
  removeState(configPath);
  await sandbox.close();
  ctx.out('sandbox stopped');
  return 0;
}
