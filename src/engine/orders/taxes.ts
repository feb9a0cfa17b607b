/**
 * The ERP tax of every order line, decided per line from the shop's tax (rate, label, prices incl./excl.)
 * and the configured rules (`orders.taxes`), first match wins:
 *
 *   { rate: "15", erpTax: "15%" }   → that ERP tax (by name or id)
 *   { rate: "15" }                   → the ERP sale tax of that amount, price-included like the shop's prices,
 *                                      in the company (findSaleTaxes); none or several is an error
 *   { rate: "15", erpTax: null }     → deliberately untaxed in the ERP
 *
 * A rule without rate and label matches every TAXED line. A line the shop did not tax matches only a rule
 * that says `rate: "0"` (or its label); without one it stays untaxed, as the shop charged it. A taxed line
 * no rule matches is an error naming the line and the rule to add: a tax is never dropped silently.
 */
import type { Config } from '../../config/schema.js';
import type { ErpOrderActions } from '../../connectors/contract.js';
import type { Order } from '../../model/entities.js';
import { Decimal } from '../../model/decimal.js';
import { SyncError } from '../../shared/errors.js';

export type TaxRules = Config['orders']['taxes'];

export type TaxChoice =
  | { kind: 'named'; name: string }
  | { kind: 'byRate'; rate: string; priceIncluded: boolean }
  | { kind: 'untaxed'; why: 'rule' | 'shop' };

/** What the shop says about one line's tax. `rate` null: taxed at a rate that cannot be told. */
export interface ShopTax {
  rate: string | null;
  label: string | null;
}

/** ERP tax ids per choice key (from resolveTaxChoices). */
export type ResolvedTaxes = Map<string, Array<{ id: string; name: string }>>;

function isZero(rate: string | null): boolean {
  return rate !== null && Decimal.parse(rate).isZero();
}

/** The rule's decision for one line, or null when no rule matches a taxed line. Pure. */
export function chooseTax(rules: TaxRules, tax: ShopTax, pricesIncluded: boolean): TaxChoice | null {
  const zero = isZero(tax.rate);
  for (const r of rules) {
    const rateOk = r.rate === undefined ? !zero : tax.rate !== null && Decimal.parse(r.rate).eq(tax.rate);
    const labelOk = r.label === undefined || (tax.label !== null && r.label.toLowerCase() === tax.label.toLowerCase());
    if (!(rateOk && labelOk)) continue;
    if (r.erpTax === null) return { kind: 'untaxed', why: 'rule' };
    if (r.erpTax !== undefined) return { kind: 'named', name: r.erpTax };
    if (tax.rate === null) return null;
    return { kind: 'byRate', rate: Decimal.parse(tax.rate).normalize().toString(), priceIncluded: pricesIncluded };
  }
  return zero ? { kind: 'untaxed', why: 'shop' } : null;
}

export function choiceKey(c: TaxChoice): string {
  if (c.kind === 'named') return `name:${c.name}`;
  if (c.kind === 'byRate') return `rate:${c.rate}:${c.priceIncluded ? 'incl' : 'excl'}`;
  return 'untaxed';
}

/** The shop's label for a rate: the order's tax line of that rate, when exactly one carries it. */
function labelFor(order: Order, rate: string | null): string | null {
  if (rate === null) return null;
  const hits = order.taxes.filter((t) => t.rate !== null && Decimal.parse(t.rate).eq(rate) && t.label);
  return hits.length === 1 ? (hits[0]!.label as string) : null;
}

export function shopTax(order: Order, rate: string | null): ShopTax {
  return { rate, label: labelFor(order, rate) };
}

/** The ERP taxes an order needs looked up (named and by rate), each once. Taxed lines without a rule are left to lineTaxIds to report. */
export function neededTaxes(order: Order, rules: TaxRules, rates: Array<string | null>): TaxChoice[] {
  const out = new Map<string, TaxChoice>();
  for (const rate of rates) {
    const c = chooseTax(rules, shopTax(order, rate), order.pricesIncludeTax);
    if (c && c.kind !== 'untaxed') out.set(choiceKey(c), c);
  }
  return [...out.values()];
}

/** Looks the choices up in the ERP: names with resolveTaxes, rates with findSaleTaxes. */
export async function resolveTaxChoices(erp: Pick<ErpOrderActions, 'resolveTaxes' | 'findSaleTaxes'>, choices: TaxChoice[]): Promise<ResolvedTaxes> {
  const out: ResolvedTaxes = new Map();
  const names = choices.flatMap((c) => (c.kind === 'named' ? [c.name] : []));
  const [byName, byRate] = await Promise.all([
    names.length ? erp.resolveTaxes(names) : Promise.resolve(new Map<string, string>()),
    Promise.all(choices.map((c) => (c.kind === 'byRate' ? erp.findSaleTaxes({ rate: c.rate, priceIncluded: c.priceIncluded }) : Promise.resolve([])))),
  ]);
  choices.forEach((c, i) => {
    if (c.kind === 'named') {
      const id = byName.get(c.name);
      out.set(choiceKey(c), id ? [{ id, name: c.name }] : []);
    } else if (c.kind === 'byRate') out.set(choiceKey(c), byRate[i] ?? []);
  });
  return out;
}

function err(order: Order, where: string, message: string, hint: string): SyncError {
  return new SyncError('mapping', `${where}: ${message}`, { entity: 'order', record: order.number, field: 'taxes', hint });
}

/** The ERP tax ids of one line (empty only when untaxed by the shop or by a rule). */
export function lineTaxIds(order: Order, where: string, rate: string | null, rules: TaxRules, resolved: ResolvedTaxes): string[] {
  const tax = shopTax(order, rate);
  const choice = chooseTax(rules, tax, order.pricesIncludeTax);
  const pct = rate ?? 'an unknown rate';
  if (!choice) {
    throw err(order, where, `taxed at ${pct} %${tax.label ? ` ("${tax.label}")` : ''} and no rule in orders.taxes matches`,
      `add a rule to orders.taxes in tandem.yaml: { rate: "${rate ?? '20'}" } uses the ERP sale tax of that rate, { rate: "${rate ?? '20'}", erpTax: "<ERP tax name>" } a named one, erpTax: null books it untaxed; then replay`);
  }
  if (choice.kind === 'untaxed') return [];
  const hits = resolved.get(choiceKey(choice)) ?? [];
  if (choice.kind === 'named') {
    if (hits.length === 0) throw err(order, where, `ERP tax "${choice.name}" (from orders.taxes) does not exist`, `create the sale tax "${choice.name}" in the ERP or fix the rule in orders.taxes, then replay`);
    return [hits[0]!.id];
  }
  const kind = choice.priceIncluded ? 'price-included' : 'price-excluded';
  if (hits.length === 0) {
    throw err(order, where, `taxed at ${choice.rate} % (${kind}) but the ERP company has no ${kind} sale tax of ${choice.rate} %`,
      `create that sale tax in the ERP, or name the tax to use: { rate: "${choice.rate}", erpTax: "<ERP tax name>" } in orders.taxes, then replay`);
  }
  if (hits.length > 1) {
    throw err(order, where, `taxed at ${choice.rate} % and the ERP has ${hits.length} ${kind} sale taxes of that rate (${hits.map((h) => `"${h.name}"`).join(', ')})`,
      `name the one to use: { rate: "${choice.rate}", erpTax: "${hits[0]!.name}" } in orders.taxes, then replay`);
  }
  return [hits[0]!.id];
}
