import type { Logger } from '../shared/log.js';

/** What every connector factory receives besides its settings. */
export interface ConnectorDeps {
  log: Logger;
  /** Injected fetch (tests, benchmarks counting calls). Defaults to global fetch. */
  fetch?: typeof fetch;
  /** Told about every HTTP request a connector sends (benchmarks count API calls by method). */
  observe?: (method: string, url: string) => void;
  /** ERP locations named in `stock.locations` of tandem.yaml: an ERP connector reads their stock too. */
  stockLocations?: string[];
  /** Name of the config's shop system (an ERP connector's default namespace for shop order numbers). */
  shopName?: string;
}
