/**
 * tandem.yaml, as a zod schema. Validated once at load; the rest of the code receives typed config.
 * `tandem config schema` prints it as JSON Schema for editor completion.
 */
import { z } from 'zod';
import jsonata from 'jsonata';
import { ENTITY_TYPES } from '../model/entities.js';
import { fieldTree, unknownOwnedPaths } from '../model/fields.js';
import { forbiddenKeyMessage, forbiddenSegment } from '../shared/safe-path.js';
import { duration, rateLimit, secret } from './common.js';
import { RetentionConfig, ServerConfig } from './server-config.js';
import { parseSchedule } from './duration.js';
import { DEFAULT_POOL, MIN_POOL } from '../store/pool-budget.js';
import { modulesOfRole, roleOfType, SystemConfig } from '../connectors/registry.js';

/** The settings of one system: the union of the registered connectors' settings (connectors/registry.ts). */
export { SystemConfig };

const schedule = z
  .string()
  .refine((s) => parseSchedule(s) !== null, {
    error: (iss) => `"${String(iss.input)}" is neither a cron expression nor an interval like "15m"`,
  })
  .describe('cron expression ("*/15 * * * *") or interval ("15m")');

const jsonataExpression = z.string().superRefine((expr, ctx) => {
  try {
    jsonata(expr);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not a valid JSONata expression: ${(e as Error).message}` });
  }
});

const side = z.enum(['shop', 'erp']);

/**
 * Jobs run at once per process. Jobs mostly wait on the remote systems, and a job waiting for a free slot
 * of a saturated system (its adaptive concurrency limit) costs nothing, so this is well above the cores:
 * a burst of 100 orders/s needs ~20 imports in flight at 16 ms per ERP call (docs/benchmarks.md).
 */
export const DEFAULT_WORKERS = 32;

export const FlowConfig = z
  .object({
    entity: z.enum(ENTITY_TYPES),
    direction: z.enum(['shop->erp', 'erp->shop', 'both']),
    enabled: z.boolean().default(true),
    schedule: schedule.default('15m'),
    webhooks: z.boolean().default(true).describe('run on webhook deliveries (polling on the schedule stays on as a safety net)'),
    priority: z.number().int().min(0).max(100).default(50).describe('higher runs first'),
    batchSize: z.number().int().min(1).max(10_000).default(200),
    categories: z
      .enum(['sellable', 'all'])
      .optional()
      .describe('category flow erp->shop: "sellable" (default) pushes only categories holding a sellable product, and their parents (not Expenses, Deliveries); "all" every one'),
    rateLimit: rateLimit.optional(),
    owner: z
      .object({
        default: side.optional().describe('owner of fields not listed; default: the source side (for both: shop)'),
        fields: z.record(z.string(), side).default({}).describe('canonical field → side that owns it, e.g. "variants.price": erp'),
      })
      .strict()
      .default({ fields: {} }),
    fields: z
      .record(z.string(), jsonataExpression)
      .default({})
      .describe('canonical field → JSONata expression over the source record ($canonical is the mapped record)'),
    errors: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(8),
        backoff: z
          .object({ initial: duration().default('5s'), max: duration().default('1h'), factor: z.number().min(1).default(2) })
          .strict()
          .default({ initial: '5s', max: '1h', factor: 2 }),
      })
      .strict()
      .default({ maxAttempts: 8, backoff: { initial: '5s', max: '1h', factor: 2 } }),
  })
  .strict();
export type FlowConfig = z.infer<typeof FlowConfig>;

const alertChannel = z.discriminatedUnion('type', [
  z.object({ type: z.literal('webhook'), url: z.string().url(), secret: secret().optional() }).strict(),
  z
    .object({
      type: z.literal('email'),
      smtp: z.string().describe('smtp://user:pass@host:port, as ${ENV_VAR} when it holds a password'),
      from: z.string(),
      to: z.array(z.string()).min(1),
    })
    .strict(),
]);

export const StockConfig = z
  .object({
    master: side.default('erp'),
    safetyBuffer: z
      .object({ default: z.number().min(0).default(0), perSku: z.record(z.string(), z.number().min(0)).default({}) })
      .strict()
      .default({ default: 0, perSku: {} }),
    locations: z
      .array(z.object({ erp: z.string().describe('ERP location or warehouse (e.g. "WH/Stock" or a warehouse code)'), shop: z.string().default('default') }).strict())
      .default([]),
    lowStock: z
      .object({
        threshold: z.number().min(0).default(5),
        /** Re-arm the alert only once available climbs above threshold + hysteresis. */
        hysteresis: z.number().min(0).default(2),
        perSku: z.record(z.string(), z.number().min(0)).default({}),
      })
      .strict()
      .default({ threshold: 5, hysteresis: 2, perSku: {} }),
  })
  .strict();

const taxRule = z
  .object({
    /** Matches the shop's tax rate in percent ("20") or its label; omit both to match every taxed line. */
    rate: z.string().optional(),
    label: z.string().optional(),
    /** ERP tax name or id to use; omitted: the ERP sale tax of the line's rate (price incl./excl. as the shop); null: untaxed. */
    erpTax: z.string().nullable().optional(),
  })
  .strict();

export const OrdersConfig = z
  .object({
    confirm: z.enum(['on_payment', 'immediately']).default('on_payment'),
    invoice: z.enum(['on_payment', 'on_delivery']).default('on_payment'),
    /** Largest difference between shop and ERP totals fixed by a rounding line; larger is an error. */
    roundingTolerance: z.string().default('0.05'),
    roundingProduct: z.string().default('TANDEM-ROUNDING').describe('SKU of the ERP service product used for rounding lines'),
    shippingProduct: z.string().optional().describe('SKU of the ERP delivery product when the carrier has none'),
    carriers: z.record(z.string(), z.string()).default({}).describe('shop shipping method → ERP carrier name'),
    taxes: z.array(taxRule).default([]),
    /**
     * The ERP order poll leaves out changes made by Tandem's own ERP user before Tandem's last run of that
     * order ended (poll-orders.ts). Only sound when that user is Tandem's alone: a person or an automation
     * working under it while a run goes on would have the change skipped. Off by default.
     */
    skipOwnErpWrites: z.boolean().default(false).describe("the ERP order poll skips changes made by Tandem's own ERP user during its runs (only when that user is Tandem's alone)"),
  })
  .strict();

export const Config = z
  .object({
    version: z.literal(1).default(1),
    store: z
      .object({
        url: z.string().default('sqlite:.tandem/tandem.db').describe('sqlite:<file> or postgres://…'),
        pool: z
          .number()
          .int()
          .min(MIN_POOL, `must be at least ${MIN_POOL}: one connection for a transaction, one for claims, lease renewals and the heartbeat`)
          .max(1000)
          .optional()
          .describe(`PostgreSQL connections per node, plus 1 listener (default ${DEFAULT_POOL}, whatever workers.concurrency is; at least ${MIN_POOL})`),
        preparedStatements: z
          .boolean()
          .default(true)
          .describe('PostgreSQL: run repeated statements as named (prepared) statements, parsed once per connection; set false behind a pooler in transaction mode that does not keep prepared statements (PgBouncer before 1.21, or max_prepared_statements = 0)'),
      })
      .strict()
      .default({ url: 'sqlite:.tandem/tandem.db', preparedStatements: true }),
    server: ServerConfig,
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') })
      .strict()
      .default({ level: 'info' }),
    // 32 jobs at once: they mostly wait on the remote systems, whose own limits (systems.<x>.concurrency) decide how many calls run
    workers: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(DEFAULT_WORKERS).describe('jobs run at the same time per process; calls to each system are limited by its own concurrency setting'),
        leaseTimeout: duration().default('5m'),
      })
      .strict()
      .default({ concurrency: DEFAULT_WORKERS, leaseTimeout: '5m' }),
    systems: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'system names are lower-case words like "shop" or "erp"'), SystemConfig),
    flows: z.array(FlowConfig).default([]),
    stock: StockConfig.default({ master: 'erp', safetyBuffer: { default: 0, perSku: {} }, locations: [], lowStock: { threshold: 5, hysteresis: 2, perSku: {} } }),
    orders: OrdersConfig.default({ confirm: 'on_payment', invoice: 'on_payment', roundingTolerance: '0.05', roundingProduct: 'TANDEM-ROUNDING', carriers: {}, taxes: [], skipOwnErpWrites: false }),
    alerts: z.object({ channels: z.array(alertChannel).default([]) }).strict().default({ channels: [] }),
    reconcile: z
      .object({
        schedule: schedule.nullable().default('0 3 * * *').describe('when `tandem serve` verifies both systems (a full read of each; null = never); drift is alerted'),
      })
      .strict()
      .default({ schedule: '0 3 * * *' }),
    retention: RetentionConfig,
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const roles = Object.entries(cfg.systems).map(([name, s]) => ({ name, role: roleOfType(s.type) }));
    for (const role of ['shop', 'erp'] as const) {
      const n = roles.filter((r) => r.role === role).length;
      if (n > 1) {
        ctx.addIssue({ code: 'custom', path: ['systems'], message: `has ${n} ${role} systems; Tandem syncs one shop with one ERP per config file (run one process per shop)` });
      }
      if (n === 0 && cfg.flows.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['systems'], message: `has no ${role} system, but flows need one (add e.g. type: ${modulesOfRole(role)[0]?.type ?? role})` });
      }
    }
    const seen = new Set<string>();
    cfg.flows.forEach((f, i) => {
      for (const [where, keys] of [['fields', Object.keys(f.fields)], ['owner.fields', Object.keys(f.owner.fields)]] as const) {
        for (const key of keys) {
          const bad = forbiddenSegment(key);
          if (bad !== null) ctx.addIssue({ code: 'custom', path: ['flows', i, ...where.split('.'), key], message: forbiddenKeyMessage(bad) });
        }
      }
      for (const path of unknownOwnedPaths(f.entity, Object.keys(f.owner.fields).filter((k) => forbiddenSegment(k) === null))) {
        const known = Object.entries(fieldTree(f.entity)).flatMap(([k, sub]) => (sub ? [k, ...Object.keys(sub).map((l) => `${k}.${l}`)] : [k]));
        ctx.addIssue({ code: 'custom', path: ['flows', i, 'owner', 'fields', path], message: `is not a field of ${f.entity} (fields: ${known.join(', ')})` });
      }
      if (seen.has(f.entity)) ctx.addIssue({ code: 'custom', path: ['flows', i, 'entity'], message: `"${f.entity}" has a flow already; one flow per entity (use direction: both for two-way)` });
      seen.add(f.entity);
    });
  });
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
