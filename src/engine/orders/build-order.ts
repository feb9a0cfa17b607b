/**
 * Shop order (canonical) → ERP order input (pure). Product, tax (taxes.ts) and carrier ids come from injected
 * resolutions; everything that cannot be resolved is a clear error naming the order, the line and the fix.
 */
import type { ErpOrderInput, ErpOrderLineInput } from '../../connectors/contract.js';
import type { Config } from '../../config/schema.js';
import type { Order, OrderLine, ShippingLine } from '../../model/entities.js';
import { Decimal } from '../../model/decimal.js';
import { Money } from '../../model/money.js';
import { SyncError } from '../../shared/errors.js';
import { lineTaxIds, type ResolvedTaxes } from './taxes.js';

export interface Resolutions {
  /** SKU → ERP variant ids. */
  products: Map<string, string[]>;
  /** ERP taxes of the order's tax choices (taxes.ts). */
  taxes: ResolvedTaxes;
  /** Shipping method → carrier (id + delivery product), or null. */
  carriers: Map<string, { id: string; productId: string } | null>;
  partnerId: string;
  invoicePartnerId?: string;
  shippingPartnerId?: string;
}

/** The rate of a line in percent ("20"), from the shop's declared rate or from tax / subtotal. */
export function lineTaxRate(line: Pick<OrderLine, 'taxRate' | 'tax' | 'subtotal'>): string | null {
  if (line.taxRate !== null) return Decimal.parse(line.taxRate).normalize().toString();
  const tax = Decimal.parse(line.tax.amount);
  const base = Decimal.parse(line.subtotal.amount);
  if (tax.isZero()) return '0';
  if (base.isZero()) return null;
  // shops round tax per line: recover the nominal rate to 0.5 % (e.g. 19.99 → 20)
  const pct = tax.mul(100).div(base, 4);
  return pct.mul(2).round(0).div(2, 1).normalize().toString();
}

/** The shop's tax rate of a shipping line ("0" when untaxed). */
export function shippingTaxRate(s: Order['shipping'][number]): string | null {
  return Decimal.parse(s.tax.amount).isZero() ? '0' : lineTaxRate({ taxRate: null, tax: s.tax, subtotal: s.total });
}

/** The shop's tax rate of every product and shipping line, in order. */
export function orderTaxRates(order: Order): Array<string | null> {
  return [...order.lines.map((l) => lineTaxRate(l)), ...order.shipping.map((s) => shippingTaxRate(s))];
}

/**
 * Discount percent of a line. Shops store the discount as an amount; the simplest percentage (0, 1 or 2
 * decimals: Odoo's default precision) that gives back that amount to the cent is used, so a 10 % coupon
 * stays 10 %. What remains is caught by the rounding line.
 */
export function discountPercent(line: OrderLine): string | undefined {
  if (!line.discount) return undefined;
  const d = Decimal.parse(line.discount.amount);
  if (d.isZero()) return undefined;
  const gross = Decimal.parse(line.unitPrice.amount).mul(line.quantity);
  if (gross.isZero()) return undefined;
  const exact = d.mul(100).div(gross, 6);
  const cents = Math.max(2, d.scale);
  for (const places of [0, 1]) {
    const pct = exact.round(places);
    if (gross.mul(pct).div(100, cents).eq(d.round(cents))) return pct.normalize().toString();
  }
  return exact.round(2).normalize().toString();
}

export function buildErpOrder(order: Order, cfg: Config['orders'], r: Resolutions, origin: string): ErpOrderInput {
  const lines: ErpOrderLineInput[] = order.lines.map((l, i) => {
    const where = `line ${i + 1} (${l.sku ?? l.name})`;
    if (!l.sku) {
      throw new SyncError('mapping', `${where} has no SKU, so it cannot be matched to an ERP product`, { entity: 'order', record: order.number, field: `lines[${i}].sku`, hint: 'give the product a SKU in the shop, then replay' });
    }
    const ids = r.products.get(l.sku) ?? [];
    if (ids.length === 0) {
      throw new SyncError('not_found', `${where}: SKU ${l.sku} is unknown in the ERP`, { entity: 'order', record: order.number, field: `lines[${i}].sku`, hint: `sync or create the product with SKU ${l.sku} in the ERP, then replay this dead letter` });
    }
    if (ids.length > 1) {
      throw new SyncError('conflict', `${where}: SKU ${l.sku} is carried by ${ids.length} ERP products (${ids.join(', ')})`, { entity: 'order', record: order.number, field: `lines[${i}].sku`, hint: 'make the SKU unique in the ERP (archive the duplicate), then replay' });
    }
    const disc = discountPercent(l);
    return {
      productId: ids[0] as string,
      name: l.name || l.sku,
      quantity: l.quantity,
      priceUnit: Decimal.parse(l.unitPrice.amount).toString(),
      ...(disc && { discountPercent: disc }),
      taxIds: lineTaxIds(order, where, lineTaxRate(l), cfg.taxes, r.taxes),
    };
  });
  let carrierId: string | undefined;
  order.shipping.forEach((s, i) => {
    const carrier = r.carriers.get(carrierKey(s)) ?? null;
    if (!carrier) {
      throw new SyncError('mapping', `shipping "${s.method}"${s.methodId ? ` (${s.methodId})` : ''} has no ERP delivery method`, { entity: 'order', record: order.number, field: `shipping[${i}]`, hint: `map it in orders.carriers (e.g. "${carrierKey(s)}": "<ERP delivery method name>") or set orders.shippingProduct, then replay` });
    }
    carrierId ??= carrier.id || undefined;
    const gross = order.pricesIncludeTax ? Money.fromJSON(s.total).add(Money.fromJSON(s.tax)) : Money.fromJSON(s.total);
    lines.push({ productId: carrier.productId, name: s.method || 'Shipping', quantity: 1, priceUnit: gross.amount, taxIds: lineTaxIds(order, `shipping ${s.method}`, shippingTaxRate(s), cfg.taxes, r.taxes), isShipping: true });
  });
  return {
    number: order.number,
    origin,
    partnerId: r.partnerId,
    ...(r.invoicePartnerId && { invoicePartnerId: r.invoicePartnerId }),
    ...(r.shippingPartnerId && { shippingPartnerId: r.shippingPartnerId }),
    currency: order.currency,
    ...(carrierId && { carrierId }),
    lines,
    ...(order.note && { note: order.note }),
    orderedAt: order.createdAt,
  };
}

/**
 * Difference between what the customer pays and what the ERP computed. Within tolerance → the amount
 * of a rounding line; beyond → an error with both totals.
 */
export function roundingDifference(order: Order, erpTotal: Money, tolerance: string): Money | null {
  const shop = Money.fromJSON(order.total);
  if (shop.currency !== erpTotal.currency) {
    throw new SyncError('mapping', `the ERP order is in ${erpTotal.currency} but the shop order in ${shop.currency}`, { entity: 'order', record: order.number, field: 'currency', hint: `create an ERP pricelist in ${shop.currency} so the order keeps its currency, then replay` });
  }
  const diff = shop.sub(erpTotal);
  if (diff.isZero()) return null;
  if (diff.abs().cmp(Money.of(tolerance, shop.currency, 'half-up')) > 0) {
    throw new SyncError('invalid_data', `ERP total ${erpTotal.toString()} differs from the shop total ${shop.toString()} by ${diff.toString()}, more than the rounding tolerance ${tolerance}`, {
      entity: 'order',
      record: order.number,
      field: 'total',
      hint: 'check the tax rules (orders.taxes: price-included shop taxes need price-included ERP taxes) and the shipping mapping, then replay',
    });
  }
  return diff;
}

/** What identifies a shipping line's method: the shop's stable id when it has one, else its title. */
export function carrierKey(s: Pick<ShippingLine, 'method' | 'methodId'>): string {
  return s.methodId || s.method;
}

/**
 * The ERP carrier a shipping line asks for: `orders.carriers` keyed by the method id as documented
 * (`flat_rate`), or by its title (shops rename and translate titles); else the title itself.
 */
export function carrierNameFor(carriers: Record<string, string>, s: Pick<ShippingLine, 'method' | 'methodId'>): string {
  return (s.methodId !== undefined ? carriers[s.methodId] : undefined) ?? carriers[s.method] ?? s.method;
}
