/** Roles, in order: each one may do what the ones before it may. */
import { ROLES, type Role } from '../../store/index.js';

export { ROLES, type Role };

/** Who may call a route: anyone (`public`: webhooks check signatures, probes reveal nothing), or a role. */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function allows(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const NAME_RULE = '1–64 letters, digits, . _ @ - (starting with a letter or digit)';
