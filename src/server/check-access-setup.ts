/**
 * Before `tandem serve` listens: refuse to expose an API nobody can sign in to on a non-loopback
 * address (anyone who reaches it would meet an API without an owner), and say what is deprecated or
 * missing. Returns warnings to print; throws UsageError (exit 1) for an unsafe start.
 */
import type { Engine } from '../engine/context.js';
import { isLoopback } from '../config/server-config.js';
import { UsageError } from '../shared/errors.js';

export async function checkAccessSetup(engine: Engine, host: string): Promise<string[]> {
  const [users, tokens] = await Promise.all([engine.store.users.count(), engine.store.tokens.count()]);
  const legacy = Boolean(engine.config.server.apiToken);
  const warnings: string[] = [];
  if (users + tokens === 0 && !legacy) {
    if (!isLoopback(host)) {
      throw new UsageError(
        `refusing to listen on ${host}: there is no user and no API token, so nobody could use the API and dashboard safely.\n` +
          'Create an admin first, then start again:\n' +
          '  tandem user add admin --role admin          (asks for the password)\n' +
          '  tandem token create --role viewer --name prometheus   (a token for scripts and /metrics)\n' +
          'or listen on 127.0.0.1 only (server.host / --host).',
        1,
      );
    }
    warnings.push('no user and no API token yet: the API and dashboard refuse every request; create one with `tandem user add <name> --role admin`');
  }
  if (legacy) warnings.push('server.apiToken is deprecated: it still works as an admin bearer token, but create named tokens with `tandem token create --role <role> --name <name>` (revocable, least privilege) and remove server.apiToken');
  if (!isLoopback(host) && !engine.config.server.publicUrl?.startsWith('https:') && engine.config.server.trustedProxies.length === 0) {
    warnings.push(`listening on ${host} over plain http: put a TLS reverse proxy in front (docs/security.md) and set server.publicUrl to its https URL and server.trustedProxies to its address`);
  }
  return warnings;
}
