/** Everything a flow needs at run time, built once per process by createEngine(). */
import type { Config, FlowConfig } from '../config/schema.js';
import type { Connector, ErpConnector, ShopConnector } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import type { Logger } from '../shared/log.js';
import type { Store } from '../store/index.js';
import type { Queue } from '../queue/index.js';
import type { SystemRole } from '../model/system-role.js';
import type { EngineMetrics } from './metrics.js';

export interface Engine {
  readonly config: Config;
  readonly store: Store;
  readonly queue: Queue;
  readonly shop: ShopConnector;
  readonly erp: ErpConnector;
  /** System names from tandem.yaml, per side. */
  readonly names: Record<SystemRole, string>;
  readonly log: Logger;
  readonly metrics: EngineMetrics;
  now(): Date;
}

export function connectorOf(engine: Engine, side: SystemRole): Connector {
  return side === 'shop' ? engine.shop : engine.erp;
}

export function flowOf(engine: Engine, entity: EntityType): FlowConfig | undefined {
  return engine.config.flows.find((f) => f.entity === entity && f.enabled);
}

/** The directions a flow runs in, as [source, target] pairs. */
export function directionsOf(flow: Pick<FlowConfig, 'direction'>): Array<[SystemRole, SystemRole]> {
  if (flow.direction === 'shop->erp') return [['shop', 'erp']];
  if (flow.direction === 'erp->shop') return [['erp', 'shop']];
  return [
    ['shop', 'erp'],
    ['erp', 'shop'],
  ];
}

export function roleOfSystem(engine: Engine, system: string): SystemRole | undefined {
  if (engine.names.shop === system) return 'shop';
  if (engine.names.erp === system) return 'erp';
  return undefined;
}
