/**
 * Every HTTP route of `tandem serve` and who may call it — the one place where access is decided.
 * `public`: webhooks (signature-checked by the connector), the probes (they reveal nothing), the login,
 * and the dashboard shell (markup and script, no data). Everything under /api/ but the login needs a role:
 * viewer (read status, metrics, traces) < operator (+ replay, discard, fix, trigger syncs, audit log)
 * < admin (+ users, tokens). Adding a route is adding a line here; test/server/role-matrix.test.ts checks
 * every line against every role.
 */
import * as api from './api.js';
import * as admin from './admin-api.js';
import * as session from './session-api.js';
import { healthz, metrics, readyz } from './probes.js';
import { webhook } from './webhook-route.js';
import { dashboardShell } from './dashboard.js';
import type { Route } from './route-table.js';

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/webhooks/:system', access: 'public', handler: webhook },
  { method: 'GET', path: '/healthz', access: 'public', handler: healthz },
  { method: 'GET', path: '/readyz', access: 'public', handler: readyz },
  { method: 'GET', path: '/metrics', access: 'viewer', handler: metrics },
  { method: 'GET', path: '/', access: 'public', handler: dashboardShell },
  { method: 'GET', path: '/dashboard', access: 'public', handler: dashboardShell },

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
