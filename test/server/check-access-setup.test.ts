/** What `tandem serve` says (or refuses) before it listens, by address and by the credentials there are. */
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { checkAccessSetup } from '../../src/server/check-access-setup.js';
import { UsageError } from '../../src/shared/errors.js';
import { newApiToken } from '../../src/server/auth/api-token.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { testConfig } from './support/test-server.js';

let engine: RunningEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function open(server: ConfigInput['server'] = {}): Promise<RunningEngine> {
  engine = await createEngine({ config: testConfig('sqlite::memory:', { server }), storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }) });
  return engine;
}

describe('checkAccessSetup', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', ''])('no user, no token on "%s": refused with exit code 1 and how to create one', async (host) => {
    const e = await open();
    const err = await checkAccessSetup(e, host).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(1);
    expect((err as UsageError).message).toMatch(/tandem user add admin --role admin/);
  });

  it.each(['127.0.0.1', '::1', 'localhost'])('no user, no token on loopback "%s": starts, with a warning that everything is refused', async (host) => {
    const e = await open();
    expect(await checkAccessSetup(e, host)).toEqual([expect.stringMatching(/no user and no API token yet/)]);
  });

  it('a token on 0.0.0.0 over plain http without a proxy: starts, with the TLS advice', async () => {
    const e = await open();
    const t = newApiToken();
    await e.store.tokens.create({ name: 'p', role: 'viewer', hash: t.hash, prefix: t.prefix });
    expect(await checkAccessSetup(e, '0.0.0.0')).toEqual([expect.stringMatching(/plain http: put a TLS reverse proxy in front/)]);
  });

  it('behind a trusted proxy, nothing to say', async () => {
    const e = await open({ trustedProxies: ['10.0.0.0/8'] });
    const t = newApiToken();
    await e.store.tokens.create({ name: 'p', role: 'viewer', hash: t.hash, prefix: t.prefix });
    expect(await checkAccessSetup(e, '0.0.0.0')).toEqual([]);
  });

  it('the deprecated server.apiToken counts as a credential, with a deprecation warning', async () => {
    const e = await open({ apiToken: 'legacy-secret-0123456789', publicUrl: 'https://tandem.example.com' });
    expect(await checkAccessSetup(e, '0.0.0.0')).toEqual([expect.stringMatching(/server\.apiToken is deprecated: it still works as an admin bearer token/)]);
  });
});
