import { describeConnectorContract, describeShopOrderContract, type ContractHarness } from '../../contract/connector-contract.js';
import { startShop, uniquePrefix } from './harness.js';

async function harness(): Promise<ContractHarness> {
  const shop = await startShop({ currency: 'EUR' });
  return {
    connector: shop.connector(),
    badAuthConnector: () => shop.connector({ auth: { type: 'bearer', token: 'wrong-token' } }),
    prefix: uniquePrefix(),
    currency: 'EUR',
    placeOrder: (spec) => shop.sim.placeOrder(spec),
    cleanup: () => shop.sim.close(),
  };
}

describeConnectorContract('rest-shop (Laravel simulator, contract shape)', harness);
describeShopOrderContract('rest-shop (Laravel simulator, contract shape)', harness);
