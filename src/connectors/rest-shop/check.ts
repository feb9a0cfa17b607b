/**
 * check(): `GET /info` (optional in the contract: name, contract version, currency, locations), then one
 * single-record page of every entity the flows need, reporting each as an item with a hint.
 */
import type { CheckItem, CheckNeeds, CheckReport } from '../contract.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import type { ShopEntity } from './shapes.js';
import { parseJson } from './transport.js';
import type { RestShopContext } from './context.js';
import { errorFromResponse } from './errors.js';
import { obj } from './wire-values.js';

export type CheckDeps = Pick<RestShopContext, 'name' | 'transport' | 'shapes' | 'currency'> & { readable: ShopEntity[] };

function failed(name: string, e: unknown): CheckItem {
  const err = toSyncError(e, 'unavailable');
  return { name, ok: false, message: err.message, hint: err.hint ?? 'see the message' };
}

export async function checkShop(deps: CheckDeps, needs?: CheckNeeds): Promise<CheckReport> {
  const items: CheckItem[] = [];
  let version = 'unknown';
  try {
    const res = await deps.transport.raw('GET', '/info');
    if (res.status === 404) {
      items.push({ name: 'connection', ok: true, message: 'reachable (no /info endpoint; it is optional)' });
    } else if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res, { name: deps.name, where: 'GET /info' });
    } else {
      const info = obj(obj(parseJson(res.text, 'GET /info')).data);
      version = typeof info.contract_version === 'string' ? info.contract_version : typeof info.version === 'string' ? info.version : 'unknown';
      items.push({ name: 'connection', ok: true, message: `${typeof info.name === 'string' ? info.name : 'shop'} reachable, contract ${version}` });
      if (typeof info.currency === 'string' && info.currency !== deps.currency) {
        items.push({ name: 'currency', ok: false, message: `the shop sells in ${info.currency}, tandem.yaml says ${deps.currency}`, hint: `set systems.${deps.name}.currency: ${info.currency}` });
      }
    }
  } catch (e) {
    items.push(failed('connection', e));
    if (e instanceof SyncError && (e.kind === 'auth' || e.kind === 'network' || e.kind === 'config')) {
      return { system: deps.name, ok: false, version, items };
    }
  }
  const wanted = needs ? (Object.keys(needs.entities) as ShopEntity[]).filter((e) => deps.readable.includes(e)) : deps.readable;
  for (const entity of wanted) {
    const shape = deps.shapes[entity];
    try {
      await deps.transport.json('GET', shape.path, { query: { [shape.pageSizeParam]: 1 }, entity });
      items.push({ name: `${entity}: read`, ok: true, message: `GET ${shape.path} answers` });
    } catch (e) {
      items.push(failed(`${entity}: read`, e));
    }
  }
  return { system: deps.name, ok: items.every((i) => i.ok), version, items };
}
