/** Loads the recorded Odoo exchanges (../shared/recordings) for unit tests. */
import { RECORDINGS_DIR } from '../../helpers/recordings.js';
import { readFileSync } from 'node:fs';
import type { HttpResponse } from '../../../src/shared/http.js';

export const RECORDINGS = RECORDINGS_DIR;

export interface Exchange17 {
  seq: number;
  label: string;
  request: unknown;
  response: unknown;
  http_status: number;
  request_is_raw_text?: boolean;
}

export interface Exchange19 {
  seq: number;
  label: string;
  protocol: 'json2' | 'jsonrpc' | 'http';
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
  http_status: number;
}

export function loadFlow<T>(version: 'odoo17' | 'odoo19', file: string): T[] {
  return readFileSync(`${RECORDINGS}/${version}/flows/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** The recorded response as the transport's HttpClient would hand it over. */
export function asHttp17(x: Exchange17): HttpResponse {
  const raw = typeof x.response === 'string';
  return {
    status: x.http_status,
    headers: new Headers({ 'content-type': raw ? 'text/html; charset=utf-8' : 'application/json' }),
    text: raw ? (x.response as string) : JSON.stringify(x.response),
  };
}

export function asHttp19(x: Exchange19): HttpResponse {
  const body = x.response.body;
  const isHtml = (x.response.headers['content-type'] ?? '').startsWith('text/html');
  return {
    status: x.response.status,
    headers: new Headers(x.response.headers),
    text: isHtml && typeof body === 'string' ? body : JSON.stringify(body),
  };
}
