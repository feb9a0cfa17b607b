/**
 * What the REST shop connector's parts share (the `OdooContext` / `WooContext` of this connector): built
 * once per connector in index.ts; each part takes the slice it needs (`ReadDeps`, `LookupDeps`, …).
 */
import type { Logger } from '../../shared/log.js';
import type { MapperContext } from './map-record.js';
import type { RestShopSettings } from './settings.js';
import type { CompiledShape, ShopEntity } from './shapes.js';
import type { RestShopTransport } from './transport.js';

export interface RestShopContext {
  /** The system's name in tandem.yaml. */
  name: string;
  settings: RestShopSettings;
  transport: RestShopTransport;
  shapes: Record<ShopEntity, CompiledShape>;
  mapper: MapperContext;
  currency: string;
  overlapSeconds: number;
  log: Logger;
}
