/** Schema pieces shared by the main config and the connectors' own settings. */
import { z } from 'zod';
import { parseInterval } from '../shared/interval.js';
import { DEFAULT_CONCURRENCY } from '../shared/adaptive-limit.js';

/**
 * A secret value: in the YAML it is written as a `${ENV_VAR}` reference (resolved by the loader);
 * the loader records every resolved secret so the logger can redact it wherever it appears.
 */
export const secret = () => z.string().min(1).describe('secret: write it as ${ENV_VAR}, never inline');

export const duration = () =>
  z
    .string({ error: (iss) => (typeof iss.input === 'number' ? `must be a duration like "${iss.input}s" or "${iss.input}m": a number needs its unit` : 'must be a duration like "500ms", "30s", "15m", "1h" or "2d"') })
    .refine((s) => parseInterval(s) !== null, { message: 'must be a duration like "500ms", "30s", "15m", "1h" or "2d"' })
    .describe('duration like "30s", "15m", "1h"');

export const rateLimit = z
  .object({
    /** Sustained requests per second. */
    perSecond: z.number().positive(),
    /** Requests allowed in a burst above the rate. */
    burst: z.number().int().positive().optional(),
  })
  .strict();

export const concurrency = z
  .union([
    z.number().int().min(1).max(256),
    z
      .object({
        min: z.number().int().min(1).max(256).default(DEFAULT_CONCURRENCY.min),
        max: z.number().int().min(1).max(256).default(DEFAULT_CONCURRENCY.max),
        initial: z.number().int().min(1).max(256).optional(),
      })
      .strict()
      .refine((c) => c.min <= c.max, { message: 'min must not be above max' }),
  ])
  .describe(
    'requests in flight to this system at once: a number (fixed), or {min, max} (adaptive, the default {min: 2, max: 32}: grows while the system answers as fast as usual, shrinks when it slows down, halves on 429/5xx, waits out Retry-After)',
  );

export const httpOptions = {
  timeout: duration().default('30s'),
  rateLimit: rateLimit.optional(),
  concurrency: concurrency.optional(),
};

/**
 * How a sync run writes to this system (engine/records/write-sizing.ts): records per write call, and write
 * calls in flight at once. Unset: the measured default of the connector type (docs/benchmarks.md).
 */
export const writeOptions = {
  writeBatchSize: z
    .union([
      z.number().int().min(1).max(10_000),
      z
        .object({
          min: z.number().int().min(1).max(10_000).optional(),
          max: z.number().int().min(1).max(10_000).optional(),
          initial: z.number().int().min(1).max(10_000).optional(),
        })
        .strict()
        .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, { message: 'min must not be above max' })
        .refine((s) => s.initial === undefined || ((s.min === undefined || s.initial >= s.min) && (s.max === undefined || s.initial <= s.max)), {
          message: 'initial must be between min and max',
        }),
    ])
    .optional()
    .describe(
      "records per write call to this system; records of several source pages are gathered into one write. A number (fixed), or {min, max, initial} (adaptive: grows while bigger writes stay as fast per record and under 10 s, shrinks on a slow write, a timeout or a 5xx). Default: Odoo adaptive {min: 100, initial: 500, max: 5000}, WooCommerce 100, otherwise the flow's batchSize",
    ),
  writeConcurrency: z.number().int().min(1).max(16).optional().describe('write calls in flight at once to this system during a sync run (default: Odoo 2, otherwise 1)'),
};
