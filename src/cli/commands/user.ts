/**
 * `tandem user add|list|remove|password`: the people who sign in to the dashboard, with a role (viewer,
 * operator, admin). Passwords are read from the terminal without echo, from stdin, or from an environment
 * variable (--password-env) — never from the command line — and stored as scrypt hashes.
 */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { UsageError } from '../../shared/errors.js';
import { hashPassword, passwordProblem } from '../../server/auth/hash-password.js';
import { cliActor } from '../../server/auth/principal.js';
import { isRole, NAME_RE, NAME_RULE, ROLES, type Role } from '../../server/auth/roles.js';
import { readPassword } from '../read-password.js';
import { withStore } from '../with-store.js';
import { table } from '../engine.js';

export interface UserAddOptions {
  name: string;
  role?: string;
  passwordEnv?: string;
}

export function register(program: Command, session: Session): void {
  const user = program.command('user').description('people who sign in to the dashboard, each with a role: viewer, operator or admin');
  user
    .command('add')
    .description('add a user (the password is asked for, or read from stdin or --password-env)')
    .argument('<name>', `user name: ${NAME_RULE}`)
    .requiredOption('--role <role>', `${ROLES.join(' | ')}`)
    .option('--password-env <VAR>', 'take the password from this environment variable')
    .action(act(session, (opts: Omit<UserAddOptions, 'name'>, ctx, args) => add({ ...opts, name: args[0] as string }, ctx, session)));
  user
    .command('list')
    .description('users and their roles')
    .option('--json', 'print as JSON')
    .action(act(session, (_opts: object, ctx) => list(ctx)));
  user
    .command('remove')
    .description('remove a user and end their sessions')
    .argument('<name>')
    .action(act(session, (_opts: object, ctx, args) => remove(args[0] as string, ctx)));
  user
    .command('password')
    .description('set a new password (and/or --role); the user\'s sessions end')
    .argument('<name>')
    .option('--role <role>', 'also change the role')
    .option('--password-env <VAR>', 'take the password from this environment variable')
    .action(act(session, (opts: Omit<UserAddOptions, 'name'>, ctx, args) => password({ ...opts, name: args[0] as string }, ctx, session)));
}

function roleOf(value: string | undefined): Role {
  if (!isRole(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${value ? `, not "${value}"` : ''}`);
  return value;
}

async function newPasswordHash(opts: UserAddOptions, session: Session): Promise<string> {
  const pw = await readPassword(session.io.env, { ...(opts.passwordEnv && { fromEnv: opts.passwordEnv }), confirm: true });
  const problem = passwordProblem(pw);
  if (problem) throw new UsageError(problem);
  session.addSecrets([pw]);
  return hashPassword(pw);
}

export async function add(opts: UserAddOptions, ctx: CliContext, session: Session): Promise<number> {
  if (!NAME_RE.test(opts.name)) throw new UsageError(`user name "${opts.name}" is not allowed: ${NAME_RULE}`);
  const role = roleOf(opts.role);
  ctx.loadConfig();
  const passwordHash = await newPasswordHash(opts, session);
  await withStore(ctx, async (store) => {
    if (!(await store.users.add({ name: opts.name, role, passwordHash }))) throw new UsageError(`there is a user "${opts.name}" already (tandem user password ${opts.name} sets a new password)`);
    await store.audit.record({ entity: 'user', action: 'user:add', actor: cliActor(session.io.env), detail: { name: opts.name, role } });
  });
  ctx.out(`added user ${opts.name} (${role})`);
  return 0;
}

export async function list(ctx: CliContext): Promise<number> {
  const users = await withStore(ctx, (store) => store.users.list());
  if (ctx.json) ctx.out(JSON.stringify(users.map((u) => ({ name: u.name, role: u.role, createdAt: new Date(u.createdAt).toISOString() })), null, 2));
  else ctx.out(users.length ? table(['name', 'role', 'created'], users.map((u) => [u.name, u.role, new Date(u.createdAt).toISOString()])) : 'no users (tandem user add <name> --role admin)');
  return 0;
}

export async function remove(name: string, ctx: CliContext): Promise<number> {
  await withStore(ctx, async (store) => {
    if (!(await store.users.remove(name))) throw new UsageError(`no user "${name}" (tandem user list shows them)`);
    await store.audit.record({ entity: 'user', action: 'user:remove', actor: cliActor(), detail: { name } });
  });
  ctx.out(`removed user ${name}; their sessions have ended`);
  return 0;
}

export async function password(opts: UserAddOptions, ctx: CliContext, session: Session): Promise<number> {
  const role = opts.role === undefined ? undefined : roleOf(opts.role);
  ctx.loadConfig();
  const passwordHash = await newPasswordHash(opts, session);
  await withStore(ctx, async (store) => {
    const user = await store.users.get(opts.name);
    if (!user) throw new UsageError(`no user "${opts.name}" (tandem user add ${opts.name} --role <role> adds one)`);
    await store.users.update(opts.name, { passwordHash, ...(role && { role }) });
    await store.sessions.deleteForUser(user.id);
    await store.audit.record({ entity: 'user', action: 'user:update', actor: cliActor(session.io.env), detail: { name: opts.name, ...(role && { role }), password: 'changed' } });
  });
  ctx.out(`new password for ${opts.name}${role ? ` (now ${role})` : ''}; their sessions have ended`);
  return 0;
}
