/** Builds the default database of a fresh simulator. */
import { OrmEnv } from '../orm/env.js';
import type { Database } from '../orm/registry.js';
import { seedBase, seedCatalog, type SeedUsers } from './seed-base.js';
import { seedAccounting, seedDelivery, seedStock } from './seed-ops.js';
import { seedRules } from './seed-rules.js';

export function seedDatabase(db: Database, currency: string, users: SeedUsers, modules: { delivery: boolean } = { delivery: true }): { adminUid: number; restrictedUid: number } {
  db.beginTx();
  const env = new OrmEnv(db, 1, {}, true);
  const out = seedBase(env, currency, users);
  seedAccounting(env);
  seedCatalog(env);
  if (modules.delivery) seedDelivery(env);
  seedStock(env);
  seedRules(env);
  db.txUs = 0;
  return out;
}
