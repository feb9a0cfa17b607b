/**
 * The order lifecycle's steps: when each one applies, table-tested on the order state (pure), and the
 * order of the lifecycle itself.
 */
import { describe, expect, it } from 'vitest';
import type { ErpOrderState, ErpShipmentState } from '../../src/connectors/contract.js';
import type { Order } from '../../src/model/entities.js';
import { Money } from '../../src/model/money.js';
import { ORDER_LIFECYCLE } from '../../src/engine/orders/lifecycle.js';
import type { LifecycleStep } from '../../src/engine/orders/order-context.js';
import type { OrderState } from '../../src/engine/orders/order-state.js';
import { invoiceDue } from '../../src/engine/orders/order-state.js';
import type { OrderStep } from '../../src/store/order-repo.js';

const step = (name: string): LifecycleStep => ORDER_LIFECYCLE.find((s) => s.name === name)!;

const erp = (state: ErpOrderState['state'], over: Partial<ErpOrderState> = {}): ErpOrderState =>
  ({ id: '500', name: 'S00500', number: '1001', state, total: Money.of('10.00', 'EUR'), invoiceIds: [], ...over }) as ErpOrderState;
const shipment = (id: string, kind: 'outgoing' | 'return', state: ErpShipmentState['state']): ErpShipmentState =>
  ({ id, name: `WH/${id}`, kind, state, carrier: null, trackingNumber: null, doneAt: null, lines: [] }) as unknown as ErpShipmentState;
const done = (...names: string[]) => new Map<string, OrderStep>(names.map((n) => [n, { step: n, state: 'done', result: null, at: 0 }]));

interface Over {
  status?: Order['status'];
  paid?: boolean;
  refunds?: string[];
  erp?: ErpOrderState | null;
  stored?: { erpId: string | null };
  done?: Map<string, OrderStep>;
  ran?: string[];
  shipments?: ErpShipmentState[] | null;
  complete?: boolean;
  confirm?: 'immediately' | 'on_payment';
  invoice?: 'on_payment' | 'on_delivery' | 'never';
}

function state(o: Over = {}): OrderState {
  const order = {
    number: '1001',
    status: o.status ?? 'pending',
    payment: o.paid ? { amount: { amount: '10.00', currency: 'EUR' }, method: 'card', transactionId: 't', paidAt: null } : null,
    refunds: (o.refunds ?? []).map((id) => ({ id, amount: { amount: '1.00', currency: 'EUR' }, lines: [], restock: false, reason: '' })),
  } as unknown as Order;
  return {
    shopId: '7',
    order,
    stored: o.stored as OrderState['stored'],
    done: o.done ?? new Map(),
    deadLetter: false,
    erp: o.erp === undefined ? erp('draft') : o.erp,
    shipments: o.shipments === undefined ? [] : o.shipments,
    invoices: null,
    ran: o.ran ?? [],
    completeNow: o.complete ?? false,
    settings: { confirm: o.confirm ?? 'on_payment', invoice: o.invoice ?? 'on_payment' } as OrderState['settings'],
  };
}

describe('the lifecycle', () => {
  it('runs its steps in this order', () => {
    expect(ORDER_LIFECYCLE.map((s) => s.name)).toEqual(['skip:import', 'import', 'link', 'cancel:erp', 'confirm', 'follow-up', 'invoice', 'payment', 'ship', 'refund', 'erp-return', 'cancel:shop', 'totals', 'settle']);
  });

  it('reads the deliveries only for the steps after the hand-off (none before a new order is confirmed)', () => {
    const first = ORDER_LIFECYCLE.findIndex((s) => s.needsShipments);
    expect(ORDER_LIFECYCLE[first - 1]!.name).toBe('follow-up');
  });
});

describe.each<[string, Array<[string, Over, boolean]>]>([
  [
    'skip:import',
    [
      ['a cancelled shop order never imported', { status: 'cancelled', erp: null }, true],
      ['a failed one', { status: 'failed', erp: null }, true],
      ['a pending one (it is imported)', { erp: null }, false],
      ['a cancelled one that is in the ERP (it is cancelled there)', { status: 'cancelled' }, false],
    ],
  ],
  [
    'import',
    [
      ['a pending order not in the ERP', { erp: null }, true],
      ['a refunded one', { status: 'refunded', erp: null }, false],
      ['one the ERP has', {}, false],
    ],
  ],
  [
    'link',
    [
      ['an ERP order found by number that Tandem never linked', { stored: { erpId: null } }, true],
      ['a first sight of it', { stored: undefined }, true],
      ['an order already linked', { stored: { erpId: '500' } }, false],
      ['an order this run imported', { stored: undefined, ran: ['import'] }, false],
    ],
  ],
  [
    'cancel:erp',
    [
      ['cancelled in the shop, confirmed in the ERP', { status: 'cancelled', erp: erp('confirmed') }, true],
      ['cancelled on both sides', { status: 'cancelled', erp: erp('cancelled') }, false],
      ['done already', { status: 'cancelled', erp: erp('confirmed'), done: done('cancel:erp') }, false],
      ['not cancelled in the shop', { status: 'confirmed', erp: erp('confirmed') }, false],
    ],
  ],
  [
    'confirm',
    [
      ['a paid draft', { paid: true }, true],
      ['an unpaid draft, confirmed on payment', {}, false],
      ['an unpaid draft, confirmed immediately', { confirm: 'immediately' }, true],
      ['a draft whose shop order is "confirmed" (paid by status)', { status: 'confirmed' }, true],
      ['a cancelled shop order', { status: 'cancelled', paid: true }, false],
      ['an order confirmed already', { paid: true, erp: erp('confirmed') }, false],
      ['done already', { paid: true, done: done('confirm') }, false],
    ],
  ],
  [
    'follow-up',
    [
      ['an order this run imported', { ran: ['import', 'confirm'] }, true],
      ['the same in a complete run (CLI)', { ran: ['import'], complete: true }, false],
      ['an order imported earlier', { ran: ['confirm'] }, false],
    ],
  ],
  [
    'invoice',
    [
      ['confirmed and paid, invoiced on payment', { paid: true, erp: erp('confirmed') }, true],
      ['a draft', { paid: true }, false],
      ['not paid', { erp: erp('confirmed') }, false],
      ['cancelled in the ERP', { paid: true, erp: erp('cancelled') }, false],
      ['invoiced on delivery, nothing delivered', { paid: true, erp: erp('confirmed'), invoice: 'on_delivery', shipments: [shipment('1', 'outgoing', 'ready')] }, false],
      ['invoiced on delivery, delivered', { paid: true, erp: erp('confirmed'), invoice: 'on_delivery', shipments: [shipment('1', 'outgoing', 'done')] }, true],
      ['never invoiced by Tandem', { paid: true, erp: erp('confirmed'), invoice: 'never' }, false],
      ['done already', { paid: true, erp: erp('confirmed'), done: done('invoice') }, false],
    ],
  ],
  [
    'payment',
    [
      ['paid, invoice made', { paid: true, erp: erp('confirmed'), done: new Map([['invoice', { step: 'invoice', state: 'done', result: { invoiceId: '90' }, at: 0 }]]) }, true],
      ['paid, no invoice yet', { paid: true, erp: erp('confirmed') }, false],
      ['paid by status only (no payment to register)', { status: 'confirmed', erp: erp('confirmed'), done: new Map([['invoice', { step: 'invoice', state: 'done', result: { invoiceId: '90' }, at: 0 }]]) }, false],
      ['done already', { paid: true, erp: erp('confirmed'), done: new Map([['invoice', { step: 'invoice', state: 'done', result: { invoiceId: '90' }, at: 0 }], ['payment', { step: 'payment', state: 'done', result: null, at: 0 }]]) }, false],
    ],
  ],
  [
    'ship',
    [
      ['a done delivery not told to the shop', { erp: erp('confirmed'), shipments: [shipment('1', 'outgoing', 'done')] }, true],
      ['told already', { erp: erp('confirmed'), shipments: [shipment('1', 'outgoing', 'done')], done: done('ship:1') }, false],
      ['a delivery not done', { erp: erp('confirmed'), shipments: [shipment('1', 'outgoing', 'ready')] }, false],
      ['a done return (not a delivery)', { erp: erp('confirmed'), shipments: [shipment('2', 'return', 'done')] }, false],
    ],
  ],
  [
    'refund',
    [
      ['a shop refund not in the ERP', { refunds: ['r1'] }, true],
      ['in the ERP already', { refunds: ['r1'], done: done('refund:r1') }, false],
      ['no refund', {}, false],
    ],
  ],
  [
    'erp-return',
    [
      ['a done ERP return', { shipments: [shipment('2', 'return', 'done')] }, true],
      ['refunded in the shop already', { shipments: [shipment('2', 'return', 'done')], done: done('erp-return:2') }, false],
      ['one Tandem made for a shop refund', { shipments: [shipment('2', 'return', 'done')], done: new Map([['refund:r1', { step: 'refund:r1', state: 'done', result: { returnIds: ['2'] }, at: 0 }]]) }, false],
      ['one Tandem made for a shop refund, unknown to a fresh store (its tag in the ERP)', { shipments: [{ ...shipment('2', 'return', 'done'), tandemKey: 'shop-refund:21' }] }, false],
      ['a return not done', { shipments: [shipment('2', 'return', 'ready')] }, false],
    ],
  ],
  [
    'cancel:shop',
    [
      ['cancelled in the ERP, not in the shop', { status: 'confirmed', erp: erp('cancelled') }, true],
      ['cancelled because the shop cancelled it (cancel:erp)', { status: 'confirmed', erp: erp('cancelled'), done: done('cancel:erp') }, false],
      ['cancelled in the shop too', { status: 'cancelled', erp: erp('cancelled') }, false],
      ['done already', { status: 'confirmed', erp: erp('cancelled'), done: done('cancel:shop') }, false],
    ],
  ],
  [
    'totals',
    [
      ['an order in the ERP', {}, true],
      ['none', { erp: null }, false],
    ],
  ],
])('%s applies to', (name, cases) => {
  it.each(cases)('%s → %s', (_what, over, applies) => {
    expect(step(name).appliesTo(state(over))).toBe(applies);
  });
});

describe('invoiceDue', () => {
  it('needs the deliveries read: none known means nothing delivered', () => {
    expect(invoiceDue(state({ paid: true, erp: erp('confirmed'), invoice: 'on_delivery', shipments: null }))).toBe(false);
  });
});
