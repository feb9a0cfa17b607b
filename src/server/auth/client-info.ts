/**
 * Who is calling and over what: the client address and whether the request came over https, believing
 * X-Forwarded-For / X-Forwarded-Proto only from a configured trusted proxy (server.trustedProxies).
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface ClientInfo {
  /** The client's address (behind a trusted proxy: the first untrusted hop of X-Forwarded-For). */
  ip: string;
  /** Came over https (directly, through a trusted proxy that says so, or server.publicUrl is https). */
  secure: boolean;
}

const plain = (ip: string): string => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return list;
}

function trusted(list: BlockList, ip: string): boolean {
  const kind = isIP(ip);
  return kind !== 0 && list.check(ip, kind === 6 ? 'ipv6' : 'ipv4');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export function clientInfo(req: IncomingMessage, proxies: BlockList, publicUrl?: string): ClientInfo {
  const peer = plain(req.socket.remoteAddress ?? '');
  const viaProxy = trusted(proxies, peer);
  let ip = peer;
  if (viaProxy) {
    const hops = (header(req, 'x-forwarded-for') ?? '').split(',').map((h) => plain(h.trim())).filter((h) => isIP(h) !== 0);
    // right to left: the first address our own proxies did not add is the client
    while (hops.length && trusted(proxies, hops[hops.length - 1]!)) hops.pop();
    ip = hops.pop() ?? peer;
  }
  const forwardedProto = viaProxy ? (header(req, 'x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase() : '';
  const secure = Boolean((req.socket as TLSSocket).encrypted) || forwardedProto === 'https' || Boolean(publicUrl?.startsWith('https:'));
  return { ip, secure };
}
