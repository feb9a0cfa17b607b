/**
 * The bundled simulators: faithful, stateful fakes of the systems Tandem connects, each an in-process HTTP
 * server built to match the recorded traffic of the real system (../shared/recordings) — unstable ordering,
 * same-second timestamps, pre-existing data, the real error shapes. `tandem demo` runs on them, the tests and
 * the benchmarks too; nothing in the engine or the connectors knows it talks to one.
 *
 * This is their one entry: start functions and the types of what they return. The folders behind it
 * (odoo/, woocommerce/, rest-shop/) are their internals.
 */
export { startOdooSimulator, VERSION_TRAITS } from './odoo/index.js';
export type { OdooSimOptions, OdooFaults, OdooSimulator, SimEnv, OdooVersion, CallOptions, Vals, Domain, Context, VersionTraits } from './odoo/index.js';

export { startWooSimulator } from './woocommerce/index.js';
export type { WooSimulator, WooSimulatorOptions, WooFaults, PlaceOrderSpec as WooPlaceOrderSpec } from './woocommerce/index.js';

export { startRestShopSimulator } from './rest-shop/index.js';
export type {
  RestShopSimulator,
  RestShopSimulatorOptions,
  RestShopFaults,
  PlaceOrderSpec as RestShopPlaceOrderSpec,
  SimOrder,
  SimProduct,
  SimVariant,
  SimStock,
  SimCategory,
  SimCustomer,
  DeliveryRecord,
  WebhookTarget,
} from './rest-shop/index.js';

export { startFaultProxy, seededRandom } from './fault-proxy.js';
export type { FaultProxy, FaultProxyOptions, FaultRates, FaultKind } from './fault-proxy.js';
