/** `tandem demo`: the sneakers story end to end, on simulated systems (or real ones) and an embedded SQLite store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { createLogger } from '../../shared/log.js';
import { UsageError } from '../../shared/errors.js';
import { runDemo, type DemoSettings } from '../../demo/run-demo.js';
import type { StoryStep } from '../../demo/story.js';

export interface DemoOptions {
  data?: string;
  keep?: boolean;
  json?: boolean;
  shop?: string;
  shopUrl?: string;
  shopKey?: string;
  shopSecret?: string;
  erpUrl?: string;
  erpDb?: string;
  erpUser?: string;
  erpKey?: string;
  odooVersion?: string;
}

export function register(program: Command, session: Session): void {
  program
    .command('demo')
    .description('run the sneakers story — order, ERP sale order, invoice, payment, shipment with tracking, return, credit note, refund — on bundled simulators of the shop and Odoo (or real ones)')
    .option('--data <dir>', 'folder for the demo SQLite store (default: a temporary folder, removed afterwards)')
    .option('--keep', 'keep the store (with --data) to explore afterwards with trace and dlq')
    .option('--json', 'print the steps as JSON: {steps:[{name, ok, shop, erp}], reconcile:{differences}}')
    .option('--shop <type>', 'shop: rest-shop (default) or woocommerce', 'rest-shop')
    .option('--shop-url <url>', 'a real WooCommerce instead of the simulator (with --shop woocommerce)')
    .option('--shop-key <ck>', 'its REST API consumer key')
    .option('--shop-secret <cs>', 'its REST API consumer secret')
    .option('--erp-url <url>', 'a real Odoo instead of the simulator')
    .option('--erp-db <db>', 'its database')
    .option('--erp-user <login>', 'the integration user\'s login')
    .option('--erp-key <key>', 'that user\'s API key')
    .option('--odoo-version <n>', 'version of the simulated Odoo: 16, 17, 18 or 19 (JSON-2)', '17')
    .action(act(session, (opts: DemoOptions, ctx) => action(opts, ctx)));
}

function settingsOf(opts: DemoOptions): DemoSettings {
  if (opts.shop !== 'rest-shop' && opts.shop !== 'woocommerce') throw new UsageError(`--shop must be rest-shop or woocommerce, got "${opts.shop}"`);
  const version = Number(opts.odooVersion ?? '17');
  if (![16, 17, 18, 19].includes(version)) throw new UsageError(`--odoo-version must be 16, 17, 18 or 19, got "${opts.odooVersion}"`);
  const erpGiven = [opts.erpUrl, opts.erpUser, opts.erpKey];
  if (erpGiven.some(Boolean) && !erpGiven.every(Boolean)) throw new UsageError('a real Odoo needs --erp-url, --erp-user and --erp-key (and --erp-db when the server has several databases)');
  const shopGiven = [opts.shopUrl, opts.shopKey, opts.shopSecret];
  if (shopGiven.some(Boolean) && !shopGiven.every(Boolean)) throw new UsageError('a real WooCommerce needs --shop-url, --shop-key and --shop-secret');
  if (opts.shopUrl && opts.shop !== 'woocommerce') throw new UsageError('--shop-url is for a real WooCommerce: add --shop woocommerce');
  return {
    shop: opts.shop,
    odooVersion: version as 16 | 17 | 18 | 19,
    ...(opts.erpUrl && { erp: { url: opts.erpUrl, ...(opts.erpDb && { db: opts.erpDb }), user: opts.erpUser!, key: opts.erpKey! } }),
    ...(opts.shopUrl && { woo: { url: opts.shopUrl, key: opts.shopKey!, secret: opts.shopSecret! } }),
  };
}

function printStep(ctx: CliContext, s: StoryStep, n: number): void {
  const ids = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k} ${v === null ? '-' : String(v)}`).join(', ');
  ctx.out(`${s.ok ? '✓' : '✗'} ${String(n).padStart(2)}. ${s.name}`);
  if (Object.keys(s.shop).length) ctx.out(`       shop: ${ids(s.shop)}`);
  if (Object.keys(s.erp).length) ctx.out(`       ERP:  ${ids(s.erp)}`);
  if (s.note) ctx.out(`       ${s.note}`);
}

export async function action(opts: DemoOptions, ctx: CliContext): Promise<number> {
  const settings = settingsOf(opts);
  const dir = opts.data ? resolve(ctx.cwd, opts.data) : mkdtempSync(join(tmpdir(), 'tandem-demo-'));
  // The demo talks to the user through its steps; logs only show problems (more with --verbose).
  const log = createLogger({ level: ctx.verbose ? 'debug' : 'error', secrets: [opts.erpKey, opts.shopKey, opts.shopSecret].filter((s): s is string => Boolean(s)), destination: { write: (s: string) => void ctx.progress.write(s) } });
  if (!ctx.json) {
    ctx.out(`Tandem demo — the sneakers story (${settings.shop === 'woocommerce' ? 'WooCommerce' : 'REST shop'}${settings.woo ? ' (real)' : ' simulator'} ⇄ Odoo ${settings.erp ? '(real)' : `${settings.odooVersion} simulator`}; store: SQLite in ${dir})\n`);
  }
  let n = 0;
  try {
    const result = await runDemo({ ...settings, storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log }, (s) => {
      n += 1;
      if (!ctx.json) printStep(ctx, s, n);
    });
    if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
    else if (result.failed) ctx.out(`\n${result.failed}`);
    else {
      ctx.out(`\nverification: ${result.reconcile.differences.length} differences between the shop and the ERP`);
      for (const d of result.reconcile.differences) ctx.out(`  ${d.entity} ${d.kind} ${d.label}${d.fields ? `: ${d.fields.join(', ')}` : ''}`);
      if (opts.keep && opts.data) ctx.out(`\nthe store is kept in ${dir}: try \`tandem trace 1001 -c <a tandem.yaml with store.url: sqlite:${join(dir, 'tandem.db')}>\``);
    }
    const ok = !result.failed && result.steps.every((s) => s.ok) && result.reconcile.differences.length === 0;
    return ok ? 0 : 1;
  } finally {
    if (!opts.data || !opts.keep) {
      if (!opts.data) rmSync(dir, { recursive: true, force: true });
    }
  }
}
