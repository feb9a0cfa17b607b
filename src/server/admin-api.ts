/** Users and API tokens, for admins. Every change is audited; a token is shown once, when created. */
import { hashPassword, passwordProblem } from './auth/hash-password.js';
import { newApiToken } from './auth/api-token.js';
import { actorOf } from './auth/principal.js';
import { isRole, NAME_RE, NAME_RULE, ROLES, type Role } from './auth/roles.js';
import { HttpError, type Reply, type RequestContext } from './route-table.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function roleOf(value: unknown): Role {
  if (!isRole(value)) throw new HttpError(400, `"role" must be one of ${ROLES.join(', ')}`);
  return value;
}

function nameOf(value: unknown): string {
  if (typeof value !== 'string' || !NAME_RE.test(value)) throw new HttpError(400, `"name" must be ${NAME_RULE}`);
  return value;
}

function passwordOf(value: unknown): string {
  if (typeof value !== 'string') throw new HttpError(400, '"password" is required');
  const problem = passwordProblem(value);
  if (problem) throw new HttpError(400, problem);
  return value;
}

export async function listUsers(c: RequestContext): Promise<Reply> {
  const users = await c.engine.store.users.list();
  return { body: users.map((u) => ({ name: u.name, role: u.role, createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt) })) };
}

export async function addUser(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  const name = nameOf(body.name);
  const role = roleOf(body.role);
  const passwordHash = await hashPassword(passwordOf(body.password));
  if (!(await c.engine.store.users.add({ name, role, passwordHash }))) throw new HttpError(409, `there is a user "${name}" already`);
  await c.engine.store.audit.record({ entity: 'user', action: 'user:add', actor: actorOf(c.principal!), detail: { name, role } });
  return { status: 201, body: { name, role } };
}

export async function updateUser(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  const name = c.params.name as string;
  const role = body.role === undefined ? undefined : roleOf(body.role);
  const passwordHash = body.password === undefined ? undefined : await hashPassword(passwordOf(body.password));
  if (!role && !passwordHash) throw new HttpError(400, 'give "role" and/or "password"');
  if (!(await c.engine.store.users.update(name, { ...(role && { role }), ...(passwordHash && { passwordHash }) }))) throw new HttpError(404, `no user "${name}"`);
  // a new password or role: the user signs in again
  const user = await c.engine.store.users.get(name);
  if (user) await c.engine.store.sessions.deleteForUser(user.id);
  await c.engine.store.audit.record({ entity: 'user', action: 'user:update', actor: actorOf(c.principal!), detail: { name, ...(role && { role }), password: passwordHash ? 'changed' : 'unchanged' } });
  return { body: { ok: true, name } };
}

export async function removeUser(c: RequestContext): Promise<Reply> {
  const name = c.params.name as string;
  if (c.principal!.kind === 'session' && c.principal!.name === name) throw new HttpError(409, 'you cannot remove yourself: another admin can, or use `tandem user remove`');
  if (!(await c.engine.store.users.remove(name))) throw new HttpError(404, `no user "${name}"`);
  await c.engine.store.audit.record({ entity: 'user', action: 'user:remove', actor: actorOf(c.principal!), detail: { name } });
  return { body: { ok: true, name } };
}

export async function listTokens(c: RequestContext): Promise<Reply> {
  const tokens = await c.engine.store.tokens.list();
  return { body: tokens.map((t) => ({ id: t.id, name: t.name, role: t.role, prefix: t.prefix, createdBy: t.createdBy, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt) })) };
}

export async function createToken(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  const name = nameOf(body.name);
  const role = roleOf(body.role);
  const t = newApiToken();
  const by = actorOf(c.principal!);
  const created = await c.engine.store.tokens.create({ name, role, hash: t.hash, prefix: t.prefix, createdBy: by });
  if (!created) throw new HttpError(409, `there is a token "${name}" already: revoke it first or choose another name`);
  await c.engine.store.audit.record({ entity: 'token', action: 'token:create', actor: by, detail: { name, role, prefix: t.prefix } });
  return { status: 201, body: { id: created.id, name, role, token: t.token, note: 'shown once: store it now' } };
}

export async function revokeToken(c: RequestContext): Promise<Reply> {
  const gone = await c.engine.store.tokens.revoke(c.params.id as string);
  if (!gone) throw new HttpError(404, `no token "${c.params.id}"`);
  await c.engine.store.audit.record({ entity: 'token', action: 'token:revoke', actor: actorOf(c.principal!), detail: { name: gone.name, role: gone.role, prefix: gone.prefix } });
  return { body: { ok: true, id: gone.id, name: gone.name } };
}
