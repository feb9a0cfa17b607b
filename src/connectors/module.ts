/**
 * What a connector tells the rest of Tandem about itself: one `ConnectorModule` per connector folder
 * (`<connector>/module.ts`), composed by `registry.ts`. Config, `tandem init`, webhook intake and the engine
 * learn a connector's type, role, settings, starter snippet and webhook verifier from here — adding a
 * connector is its folder plus one line in the registry.
 *
 * Also the helpers every connector shares: settings parsed one way (`parseSettings`), unsupported entities
 * refused one way (`unsupported`, `assertSupports`), log lines labelled one way (`connectorLog`).
 */
import type { z } from 'zod';
import type { EntityType } from '../model/entities.js';
import type { SystemRole } from '../model/system-role.js';
import { SyncError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { Connector, EntitySupport, RawRequest, WebhookVerdict } from './contract.js';
import type { ConnectorDeps } from './deps.js';

/** The `type:` of a system in tandem.yaml is the discriminator of its settings. */
type TypedSettings = z.ZodType<{ type: string }>;

export interface ConnectorModule<S extends TypedSettings = TypedSettings, C extends Connector = Connector> {
  /** The `type:` in tandem.yaml, e.g. "woocommerce". */
  readonly type: z.output<S>['type'];
  readonly role: SystemRole;
  /** For people: "WooCommerce". */
  readonly label: string;
  /** The settings of a system of this type under `systems.<name>` (a zod object with `type` as literal). */
  readonly settingsSchema: S;
  create(name: string, settings: z.output<S>, deps: ConnectorDeps): C;
  /** The commented YAML of one system of this type, indented under `systems:` (for `tandem init`). */
  readonly starter: string;
  /** Verifies a webhook delivery with the system's settings (its secret); absent when the system sends none. */
  verifyWebhook?(settings: z.output<S>, req: RawRequest, log?: Logger): WebhookVerdict;
}

/** Keeps the settings type of each module (the registry's union is built from them). */
export function defineConnector<S extends TypedSettings, C extends Connector>(m: ConnectorModule<S, C>): ConnectorModule<S, C> {
  return m;
}

/** Settings as the connector's schema reads them; invalid settings are a config error naming the key. */
export function parseSettings<S extends z.ZodType>(schema: S, name: string, settings: unknown, hint: string): z.output<S> {
  const check = schema.safeParse(settings);
  if (check.success) return check.data;
  const issue = check.error.issues[0];
  const type = (settings as { type?: unknown } | null)?.type;
  throw new SyncError('config', `systems.${name}.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid settings'}`, {
    system: typeof type === 'string' ? type : name,
    hint,
  });
}

/** The error for an entity or an action a connector does not support. */
export function unsupported(system: string, label: string, entity: string, what: string, hint = 'check the flow configuration: direction and entity'): SyncError {
  return new SyncError('config', `the ${label} connector cannot ${what} ${entity}`, { system, entity, hint });
}

/** Throws `unsupported` unless the connector's entity table allows `need` for `entity`. */
export function assertSupports(system: string, label: string, support: Partial<Record<EntityType, EntitySupport>>, entity: EntityType, need: keyof EntitySupport): void {
  if (support[entity]?.[need]) return;
  const able = Object.entries(support)
    .filter(([, s]) => s?.[need])
    .map(([e]) => e);
  throw unsupported(system, label, entity, need, `supported for ${need}: ${able.join(', ')}`);
}

/** The connector's logger: every line labelled with the system's name (tandem.yaml key) and the connector type. */
export function connectorLog(log: Logger, name: string, type: string): Logger {
  return log.child({ system: name, connector: type });
}
