/**
 * A tiny in-house shop whose API does NOT follow the Tandem contract: JSON:API-like records
 * `{id, type, attributes:{name_uk, sku, price_uah (number), modified ("Y-m-d H:i:s")}}`, string ids,
 * an inclusive `modified_since` filter without keyset id, API-key or Basic auth, and one of five
 * pagination styles per path prefix (/v1/<style>/goods).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Good {
  id: string;
  type: 'goods';
  attributes: { name_uk: string; sku: string; price_uah: number | string; modified: string };
}

export const API_KEY = 'k1';
export const BASIC = { username: 'shop', password: 'pw' };

export interface CustomShop {
  url: string;
  goods: Good[];
  calls: string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function page<T>(list: T[], offset: number, size: number): T[] {
  return list.slice(offset, offset + size);
}

export async function startCustomShop(goods: Good[]): Promise<CustomShop> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const basic = `Basic ${Buffer.from(`${BASIC.username}:${BASIC.password}`).toString('base64')}`;
    if (req.headers['x-api-key'] !== API_KEY && req.headers.authorization !== basic) return send(401, { error: 'bad key' });
    const m = /^\/v1\/(laravel|page|offset|cursor|link)\/goods(?:\/(batch|[\w-]+))?$/.exec(url.pathname);
    if (!m) return send(404, { message: 'no such route' });
    const [, style, sub] = m;
    const q = url.searchParams;
    const sorted = [...goods].sort((a, b) => a.attributes.modified.localeCompare(b.attributes.modified) || a.id.localeCompare(b.id));

    if (req.method === 'POST' && sub === 'batch') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { items: Array<{ attributes: Good['attributes'] }> };
        const data = body.items.map((item) => {
          if (!item.attributes?.sku) return { status: 422, message: 'sku missing', errors: { 'attributes.sku': ['sku missing'] } };
          const g: Good = { id: `g-${String(goods.length + 1).padStart(3, '0')}`, type: 'goods', attributes: { ...item.attributes, modified: '2026-03-01 00:00:00' } };
          goods.push(g);
          return { status: 201, id: g.id, data: g };
        });
        send(200, { data });
      });
      return;
    }
    if (sub) {
      const g = goods.find((x) => x.id === sub);
      return g ? send(200, { data: g }) : send(404, { message: 'not found' });
    }

    let list = sorted;
    const since = q.get('modified_since');
    if (since) list = list.filter((g) => g.attributes.modified >= since);
    const skus = q.get('filter[sku]');
    if (skus) list = list.filter((g) => skus.split(',').includes(g.attributes.sku));

    switch (style) {
      case 'laravel': {
        const per = Number(q.get('per_page') ?? 15);
        const current = Number(q.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(list.length / per));
        return send(200, { data: page(list, (current - 1) * per, per), meta: { current_page: current, last_page: last, per_page: per, total: list.length }, links: { next: current < last ? 'next' : null } });
      }
      case 'page': {
        const limit = Number(q.get('limit') ?? 10);
        const p = Number(q.get('page') ?? 1);
        return send(200, { items: page(list, (p - 1) * limit, limit), page: p });
      }
      case 'offset': {
        const limit = Number(q.get('limit') ?? 10);
        return send(200, { results: page(list, Number(q.get('offset') ?? 0), limit), count: list.length });
      }
      case 'cursor': {
        const size = Number(q.get('size') ?? 10);
        const start = q.get('after') ? Number(Buffer.from(q.get('after') as string, 'base64url').toString()) : 0;
        const next = start + size < list.length ? Buffer.from(String(start + size)).toString('base64url') : null;
        return send(200, { data: page(list, start, size), paging: { next } });
      }
      case 'link': {
        const per = Number(q.get('per_page') ?? 10);
        const p = Number(q.get('page') ?? 1);
        const headers: Json = {};
        if (p * per < list.length) {
          const next = new URLSearchParams(q);
          next.set('page', String(p + 1));
          headers.link = `</v1/link/goods?${next.toString()}>; rel="next", </v1/link/goods?page=1>; rel="first"`;
        }
        return send(200, page(list, (p - 1) * per, per), headers as Record<string, string>);
      }
    }
    send(404, { message: 'no such style' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    goods,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
