/**
 * Every HTTP route of `tandem serve` and who may call it — the one place where access is decided.
 * `public`: webhooks (signature-checked by the connector), the probes (they reveal nothing), the login,
 * and the console's pages and assets (markup, script and styles, no data). Everything under /api/ but the login needs a role:
 * viewer (read status, metrics, traces) < operator (+ replay, discard, fix, trigger syncs, audit log)
 * < admin (+ users, tokens). Adding a route is adding a line here; test/server/role-matrix.test.ts checks
 * every line against every role.
 */
import * as api from './api.js';
import * as admin from './admin-api.js';
import * as session from './session-api.js';
import { healthz, metrics, readyz } from './probes.js';
import { webhook } from './webhook-route.js';
import { CONSOLE_PAGES, consoleAsset, consolePage } from './console-assets.js';
import * as orders from './orders-api.js';
import { overview, repairWebhooks } from './overview-api.js';
import { lookupRecord } from './records-api.js';
import { fixReconcile, lastReconcile } from './reconcile-api.js';
import { listRuns, settings } from './runs-api.js';
import { events } from './events-api.js';
import type { Route } from './route-table.js';

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/webhooks/:system', access: 'public', handler: webhook },
  { method: 'GET', path: '/healthz', access: 'public', handler: healthz },
  { method: 'GET', path: '/readyz', access: 'public', handler: readyz },
  { method: 'GET', path: '/metrics', access: 'viewer', handler: metrics },
  ...CONSOLE_PAGES.map((path): Route => ({ method: 'GET', path, access: 'public', handler: consolePage })),
  { method: 'GET', path: '/assets/*', access: 'public', handler: consoleAsset },

  { method: 'POST', path: '/api/session', access: 'public', handler: session.create },
  { method: 'GET', path: '/api/session', access: 'viewer', handler: session.show },
  { method: 'DELETE', path: '/api/session', access: 'viewer', handler: session.remove },

  { method: 'GET', path: '/api/status', access: 'viewer', handler: api.status },
  { method: 'GET', path: '/api/nodes', access: 'viewer', handler: api.nodes },
  { method: 'GET', path: '/api/dead-letters', access: 'viewer', handler: api.deadLetters },
  { method: 'GET', path: '/api/dead-letters/:id', access: 'viewer', handler: api.deadLetter },
  { method: 'GET', path: '/api/orders/:ref/trace', access: 'viewer', handler: api.trace },
  { method: 'POST', path: '/api/dead-letters/:id/replay', access: 'operator', handler: api.replay },
  { method: 'POST', path: '/api/dead-letters/:id/discard', access: 'operator', handler: api.discard },
  { method: 'POST', path: '/api/syncs', access: 'operator', handler: api.sync },
  { method: 'POST', path: '/api/reconcile', access: 'operator', handler: api.reconcileRun },
  { method: 'GET', path: '/api/audit', access: 'operator', handler: api.audit },

  { method: 'GET', path: '/api/overview', access: 'viewer', handler: overview },
  { method: 'POST', path: '/api/webhooks/repair', access: 'operator', handler: repairWebhooks },
  { method: 'GET', path: '/api/orders', access: 'viewer', handler: orders.listOrders },
  { method: 'GET', path: '/api/orders/:ref', access: 'viewer', handler: orders.showOrder },
  { method: 'POST', path: '/api/orders/:ref/resync', access: 'operator', handler: orders.resyncOrder },
  { method: 'GET', path: '/api/records', access: 'viewer', handler: lookupRecord },
  { method: 'GET', path: '/api/reconcile/last', access: 'viewer', handler: lastReconcile },
  { method: 'POST', path: '/api/reconcile/fix', access: 'operator', handler: fixReconcile },
  { method: 'GET', path: '/api/runs', access: 'viewer', handler: listRuns },
  { method: 'GET', path: '/api/settings', access: 'viewer', handler: settings },
  { method: 'GET', path: '/api/events', access: 'viewer', handler: events },

  { method: 'GET', path: '/api/users', access: 'admin', handler: admin.listUsers },
  { method: 'POST', path: '/api/users', access: 'admin', handler: admin.addUser },
  { method: 'PATCH', path: '/api/users/:name', access: 'admin', handler: admin.updateUser },
  { method: 'DELETE', path: '/api/users/:name', access: 'admin', handler: admin.removeUser },
  { method: 'GET', path: '/api/tokens', access: 'admin', handler: admin.listTokens },
  { method: 'POST', path: '/api/tokens', access: 'admin', handler: admin.createToken },
  { method: 'DELETE', path: '/api/tokens/:id', access: 'admin', handler: admin.revokeToken },
];

/** The separate loopback listener of server.metrics.listen: /metrics without credentials, nothing else. */
export const METRICS_ROUTES: readonly Route[] = [{ method: 'GET', path: '/metrics', access: 'public', handler: metrics }];
