/** Table types of access control (migration 005), merged into Database. */
import type { Generated } from 'kysely';

/** What a user or an API token may do: viewer < operator < admin. */
export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export interface UsersTable {
  id: Generated<number>;
  name: string;
  role: Role;
  /** scrypt hash with its parameters and salt (server/auth/hash-password.ts); never the password. */
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: Role;
  /** sha256 of the token (hex); the token itself is shown once and never stored. */
  token_hash: string;
  /** The token's first characters, to tell tokens apart in lists ("tdm_AbCd1234"). */
  prefix: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
}

export interface SessionsTable {
  /** sha256 of the session id held in the cookie. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  /** `user:<name>` or `ip:<address>`. */
  key: string;
  at: number;
}
