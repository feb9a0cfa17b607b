/** The JSON API of `tandem serve` as the console calls it: session cookie + CSRF token on every change. */
export type Role = 'viewer' | 'operator' | 'admin';
export interface Session {
  user: string;
  role: Role;
  csrfToken: string | null;
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };
export const can = (s: Session | null, least: Role): boolean => !!s && RANK[s.role] >= RANK[least];

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

let csrf = '';
let onSignedOut: (message: string) => void = () => undefined;

export function setSession(s: Session | null): void {
  csrf = s?.csrfToken ?? '';
}
export function whenSignedOut(fn: (message: string) => void): void {
  onSignedOut = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined && { body: JSON.stringify(body) }) });
  const data = (await res.json().catch(() => ({}))) as { error?: string };
  if (res.status === 401 && path !== '/api/session') onSignedOut('Your session has ended: sign in again.');
  if (!res.ok) throw new ApiError(res.status, data.error ?? `${method} ${path} failed with HTTP ${res.status}`);
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
