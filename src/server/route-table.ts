/**
 * What a route is: method, path pattern (`/api/dead-letters/:id/replay`; a trailing `*` matches the rest,
 * for static assets), who may call it (`public` or the least role), and its handler. The access check,
 * CSRF check and error handling are the dispatcher's (http-server.ts), so a route is one line in
 * routes.ts and cannot forget them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import type { ClientInfo } from './auth/client-info.js';
import type { Principal } from './auth/principal.js';
import type { Access } from './auth/roles.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestContext {
  engine: Engine;
  req: IncomingMessage;
  url: URL;
  /** Path parameters, URL-decoded. */
  params: Record<string, string>;
  /** Null only on public routes. */
  principal: Principal | null;
  client: ClientInfo;
  /** The request body parsed as a JSON object ({} when empty; up to `limit` bytes, default 1 MiB); a 400 HttpError when it is not one. */
  json(limit?: number): Promise<{ [key: string]: Json }>;
  /** The raw body, up to `limit` bytes (413 beyond). */
  raw(limit: number): Promise<Buffer>;
  /** Whether the worker runs (for /readyz). */
  ready(): boolean;
  /** Work that goes on after the answer (a reconcile): the server waits for it when it closes. */
  background(work: Promise<unknown>): void;
}

export interface Reply {
  status?: number;
  /** JSON, text, or bytes (static files). */
  body: Json | string | Buffer;
  /** Default application/json. */
  type?: string;
  headers?: Record<string, string | string[]>;
  /** A long-lived answer (server-sent events): the head is written, then the stream owns the response; the server ends it when it closes. */
  stream?: (res: ServerResponse) => void;
}

export interface Route {
  method: Method;
  path: string;
  access: Access;
  handler(c: RequestContext): Promise<Reply> | Reply;
}

/** A refusal with a status and a message for the caller. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: Method[] } | null;

function compile(route: Route): Compiled {
  const names: string[] = [];
  const body = route.path
    .split('/')
    .map((seg) => {
      if (seg === '*') {
        names.push('*');
        return '(.*)';
      }
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, pattern: new RegExp(`^${body}/?$`), names };
}

/** A matcher over a route table: the route and its params, the allowed methods of a known path, or null. */
export function routeMatcher(routes: readonly Route[]): (method: string, path: string) => Match {
  const compiled = routes.map(compile);
  return (method, path) => {
    const want = method === 'HEAD' ? 'GET' : method;
    const allowed: Method[] = [];
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.route.method !== want) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1] as string);
        } catch {
          params[name] = m[i + 1] as string;
        }
      });
      return { route: c.route, params };
    }
    return allowed.length ? { allowed } : null;
  };
}
