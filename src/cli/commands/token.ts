/**
 * `tandem token create|list|revoke`: API tokens for scripts and Prometheus (`Authorization: Bearer
 * tdm_…`). A token is shown once, when created; the store keeps only its sha256.
 */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { UsageError } from '../../shared/errors.js';
import { newApiToken } from '../../server/auth/api-token.js';
import { cliActor } from '../../server/auth/principal.js';
import { isRole, NAME_RE, NAME_RULE, ROLES } from '../../server/auth/roles.js';
import { withStore } from '../with-store.js';
import { table } from '../engine.js';

export interface TokenCreateOptions {
  name?: string;
  role?: string;
}

export function register(program: Command, session: Session): void {
  const token = program.command('token').description('API tokens for scripts and Prometheus, each with a role: viewer, operator or admin');
  token
    .command('create')
    .description('create a token and print it (once: only its hash is stored)')
    .requiredOption('--name <name>', `what it is for, e.g. prometheus (${NAME_RULE})`)
    .requiredOption('--role <role>', `${ROLES.join(' | ')}`)
    .action(act(session, (opts: TokenCreateOptions, ctx) => create(opts, ctx, session)));
  token
    .command('list')
    .description('tokens: name, role, first characters, last use (never the token)')
    .option('--json', 'print as JSON')
    .action(act(session, (_opts: object, ctx) => list(ctx)));
  token
    .command('revoke')
    .description('revoke a token (by name or id); requests with it are refused at once')
    .argument('<name-or-id>')
    .action(act(session, (_opts: object, ctx, args) => revoke(args[0] as string, ctx)));
}

export async function create(opts: TokenCreateOptions, ctx: CliContext, session: Session): Promise<number> {
  const name = opts.name ?? '';
  if (!NAME_RE.test(name)) throw new UsageError(`--name "${name}" is not allowed: ${NAME_RULE}`);
  if (!isRole(opts.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const role = opts.role;
  const t = newApiToken();
  const actor = cliActor(session.io.env);
  await withStore(ctx, async (store) => {
    if (!(await store.tokens.create({ name, role, hash: t.hash, prefix: t.prefix, createdBy: actor }))) throw new UsageError(`there is a token "${name}" already: revoke it first (tandem token revoke ${name}) or choose another name`);
    await store.audit.record({ entity: 'token', action: 'token:create', actor, detail: { name, role, prefix: t.prefix } });
  });
  if (ctx.json) ctx.out(JSON.stringify({ name, role, token: t.token }, null, 2));
  else {
    ctx.out(t.token);
    ctx.err(`created token ${name} (${role}). It is shown only now: store it in your secret manager. Use it as \`Authorization: Bearer <token>\`.`);
  }
  return 0;
}

export async function list(ctx: CliContext): Promise<number> {
  const tokens = await withStore(ctx, (store) => store.tokens.list());
  const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
  if (ctx.json) ctx.out(JSON.stringify(tokens.map((t) => ({ id: t.id, name: t.name, role: t.role, prefix: t.prefix, createdBy: t.createdBy, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt) || null })), null, 2));
  else ctx.out(tokens.length ? table(['id', 'name', 'role', 'token', 'created', 'by', 'last used'], tokens.map((t) => [t.id, t.name, t.role, `${t.prefix}…`, iso(t.createdAt), t.createdBy, iso(t.lastUsedAt)])) : 'no API tokens (tandem token create --role viewer --name prometheus)');
  return 0;
}

export async function revoke(nameOrId: string, ctx: CliContext): Promise<number> {
  const gone = await withStore(ctx, async (store) => {
    const t = await store.tokens.revoke(nameOrId);
    if (!t) throw new UsageError(`no token "${nameOrId}" (tandem token list shows them)`);
    await store.audit.record({ entity: 'token', action: 'token:revoke', actor: cliActor(), detail: { name: t.name, role: t.role, prefix: t.prefix } });
    return t;
  });
  ctx.out(`revoked token ${gone.name} (${gone.prefix}…)`);
  return 0;
}
