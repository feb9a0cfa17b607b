/**
 * Commands whose engine part is built by a later issue say so plainly and exit 3; they never pretend.
 * Replacing one with the real thing is a one-function change: its `action` in commands/<name>.ts.
 */
import type { CliContext } from './context.js';

export const NOT_AVAILABLE_EXIT_CODE = 3;

/** Which piece of work builds each command (update here when the issue numbers are known). */
export const BUILT_BY = {
  engine: 'the sync engine issue: flows pull/map/diff/write/link, plan, reconcile',
  connectors: 'the connector issues: Odoo, WooCommerce, REST shop',
  server: 'the server issue: webhook intake, REST API, /metrics',
  queue: 'the store and queue issue: dead letters and replay',
  demo: 'the demo issue: the sneakers story on simulators',
  stock: 'the stock issue: availability, alerts and demand',
  finance: 'the finance issue: payments, invoices and refunds',
} as const;

export function notAvailable(ctx: CliContext, command: string, willDo: string, builtBy: keyof typeof BUILT_BY): number {
  ctx.err(`tandem ${command}: not available yet — ${willDo}; it is being built (see ${BUILT_BY[builtBy]})`);
  return NOT_AVAILABLE_EXIT_CODE;
}
