/** What the WooCommerce adapters share: settings, transport, the store currency, status maps, a SKU cache. */
import type { OrderStatus } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { WooTransport } from './transport.js';
import type { WooCommerceSettings } from './settings.js';
import { SYSTEM } from './errors.js';
import { DEFAULT_STATUS_MAP, DEFAULT_STATUS_TO_WOO } from './map-order.js';
import { VARIATION_FIELDS, type WooProduct, type WooVariation } from './wire.js';
import { idSeg } from './path.js';

export interface SkuRef {
  id: number;
  /** 0 for a product; the parent product id for a variation. */
  parentId: number;
}

export class WooContext {
  readonly statusMap: Record<string, OrderStatus>;
  readonly statusToWoo: Record<OrderStatus, string>;
  private currencyPromise: Promise<string> | null = null;

  constructor(
    readonly name: string,
    readonly settings: WooCommerceSettings,
    readonly transport: WooTransport,
    readonly log: Logger,
  ) {
    this.statusMap = { ...DEFAULT_STATUS_MAP, ...settings.statusMap };
    this.statusToWoo = { ...DEFAULT_STATUS_TO_WOO, ...settings.statusToWoo } as Record<OrderStatus, string>;
  }

  /** The store currency: from settings, else read once from /settings/general/woocommerce_currency. */
  currency(signal?: AbortSignal): Promise<string> {
    if (this.settings.currency) return Promise.resolve(this.settings.currency);
    this.currencyPromise ??= this.transport
      .request<{ value?: string }>('GET', 'settings/general/woocommerce_currency', { signal })
      .then((r) => {
        const v = r.data.value;
        if (!v || !/^[A-Z]{3}$/.test(v)) throw new SyncError('config', `WooCommerce reports currency "${String(v)}"`, { system: SYSTEM, hint: 'set currency in tandem.yaml' });
        return v;
      })
      .catch((e: unknown) => {
        this.currencyPromise = null;
        throw e;
      });
    return this.currencyPromise;
  }

  /** SKU (lower-cased) → product / variation ids, looked up with GET /products?sku=a,b,c (finds variations too). */
  async lookupSkus(skus: string[], signal?: AbortSignal): Promise<Map<string, SkuRef & { raw: WooProduct }>> {
    const out = new Map<string, SkuRef & { raw: WooProduct }>();
    const unique = [...new Set(skus.map((s) => s.trim()).filter((s) => s !== '' && !s.includes(',')))];
    for (let i = 0; i < unique.length; i += 50) {
      const chunk = unique.slice(i, i + 50);
      for await (const page of this.transport.pages<WooProduct>('products', { sku: chunk.join(','), status: 'any' }, { signal, entity: 'product' })) {
        for (const p of page.items) if (p.sku) out.set(p.sku.toLowerCase(), { id: p.id, parentId: p.type === 'variation' ? p.parent_id : 0, raw: p });
      }
    }
    return out;
  }

  /**
   * The variations of every variable product among `products`, by product id: several products' variations
   * read at once (`readConcurrency` at a time, each request through the adaptive limit), not one after another.
   */
  /** `fields` 'mapped': only the fields the mappers read (wire.ts VARIATION_FIELDS). */
  async variationsOf(products: WooProduct[], signal?: AbortSignal, fields: 'mapped' | 'all' = 'all'): Promise<Map<number, WooVariation[]>> {
    const ids = products.filter((p) => p.type === 'variable').map((p) => p.id);
    const out = new Map<number, WooVariation[]>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++]!;
        out.set(id, await this.variations(id, signal, fields));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.readConcurrency, ids.length) }, worker));
    return out;
  }

  /** All variations of a variable product. */
  async variations(productId: number, signal?: AbortSignal, fields: 'mapped' | 'all' = 'all'): Promise<WooVariation[]> {
    const out: WooVariation[] = [];
    const query = { context: 'edit', ...(fields === 'mapped' && { _fields: VARIATION_FIELDS }) };
    for await (const page of this.transport.pages<WooVariation>(`products/${idSeg(productId)}/variations`, query, { signal, entity: 'product' })) out.push(...page.items);
    return out;
  }
}
