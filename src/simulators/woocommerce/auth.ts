/**
 * WooCommerce REST authentication (WC_REST_Authentication): Basic auth (or consumer_key/secret in the
 * query) only over https — here: with `X-Forwarded-Proto: https`, like the recorded shop — and
 * OAuth 1.0a one-legged signatures over plain http, verified with the oauth-1.0a library.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { WpError } from './respond.js';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
}

export type AuthResult = { user: number } | { user: 0; error?: WpError };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseOAuthHeader(header: string | undefined): Record<string, string> {
  if (!header?.startsWith('OAuth ')) return {};
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/(oauth_[a-z_-]*)=(?:"([^"]*)"|([^,]*))/g)) out[m[1]!] = decodeURIComponent(m[2] ?? m[3] ?? '');
  return out;
}

export class WooAuth {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly creds: Credentials,
    private readonly now: () => number,
  ) {}

  authenticate(opts: { ssl: boolean; method: string; url: string; params: Array<[string, string]>; authorization: string | undefined }): AuthResult {
    const query = Object.fromEntries(opts.params);
    if (opts.ssl) {
      let key = '';
      let secret = '';
      if (query.consumer_key && query.consumer_secret) {
        key = query.consumer_key;
        secret = query.consumer_secret;
      } else if (opts.authorization?.startsWith('Basic ')) {
        const decoded = Buffer.from(opts.authorization.slice(6), 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        key = i >= 0 ? decoded.slice(0, i) : decoded;
        secret = i >= 0 ? decoded.slice(i + 1) : '';
      }
      if (key && secret && safeEqual(key, this.creds.consumerKey)) {
        if (safeEqual(secret, this.creds.consumerSecret)) return { user: 1 };
        return { user: 0, error: new WpError('woocommerce_rest_authentication_error', 'Consumer secret is invalid.', 401) };
      }
    }
    return this.oauth(opts, query);
  }

  private oauth(opts: { method: string; url: string; authorization: string | undefined }, query: Record<string, string>): AuthResult {
    const params: Record<string, string> = { ...query, ...parseOAuthHeader(opts.authorization) };
    const names = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    const missing = names.filter((n) => !params[n]);
    if (missing.length === names.length) return { user: 0 };
    if (missing.length > 0) {
      const msg = `Missing OAuth parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
      return { user: 0, error: new WpError('woocommerce_rest_authentication_missing_parameter', msg, 401) };
    }
    if (!safeEqual(params.oauth_consumer_key!, this.creds.consumerKey)) {
      return { user: 0, error: new WpError('woocommerce_rest_authentication_error', 'Consumer key is invalid.', 401) };
    }
    const method = params.oauth_signature_method!;
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') {
      return { user: 0, error: new WpError('woocommerce_rest_authentication_error', 'Invalid signature - signature method is invalid.', 401) };
    }
    const algo = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
    const oauth = new OAuth({
      consumer: { key: this.creds.consumerKey, secret: this.creds.consumerSecret },
      signature_method: method,
      hash_function: (base, key) => createHmac(algo, key).update(base).digest('base64'),
    });
    const { oauth_signature: given, ...rest } = params;
    const data: Record<string, string> = {};
    const oauthData: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) (k.startsWith('oauth_') ? oauthData : data)[k] = v;
    const expected = oauth.getSignature({ url: opts.url.split('?')[0]!, method: opts.method, data }, undefined, oauthData as unknown as OAuth.Data);
    if (!safeEqual(expected, (given ?? '').replace(/ /g, '+'))) {
      return { user: 0, error: new WpError('woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.', 401) };
    }
    const ts = Number(params.oauth_timestamp);
    const nowS = Math.floor(this.now() / 1000);
    if (!(ts >= nowS - 900 && ts <= nowS + 900)) return { user: 0, error: new WpError('woocommerce_rest_authentication_error', 'Invalid timestamp.', 401) };
    const nonce = params.oauth_nonce!;
    for (const [n, t] of this.nonces) if (t < nowS - 900) this.nonces.delete(n);
    if (this.nonces.has(nonce)) return { user: 0, error: new WpError('woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.', 401) };
    this.nonces.set(nonce, ts);
    return { user: 1 };
  }
}

/** The 401 a request without a logged-in user gets from the route's permission callback. */
export function permissionError(method: string, route: string, isCollection: boolean): WpError {
  if (/\/batch$/.test(route)) return new WpError('woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.', 401);
  if (method === 'GET') {
    return new WpError('woocommerce_rest_cannot_view', isCollection ? 'Sorry, you cannot list resources.' : 'Sorry, you cannot view this resource.', 401);
  }
  if (method === 'DELETE') return new WpError('woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.', 401);
  if (isCollection) return new WpError('woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.', 401);
  return new WpError('woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.', 401);
}
