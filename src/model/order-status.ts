import type { OrderStatus } from './entities.js';

/**
 * The one order status state machine. Status events can arrive late or out of order (webhooks are
 * retried, polling catches up later); a transition that is not allowed from the current status is
 * ignored as stale instead of moving an order backwards.
 */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['on_hold', 'confirmed', 'cancelled', 'failed'],
  on_hold: ['pending', 'confirmed', 'cancelled', 'failed'],
  failed: ['pending', 'on_hold', 'confirmed', 'cancelled'],
  confirmed: ['on_hold', 'partially_shipped', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'],
  partially_shipped: ['shipped', 'delivered', 'completed', 'cancelled', 'refunded'],
  shipped: ['delivered', 'completed', 'refunded'],
  delivered: ['completed', 'refunded'],
  completed: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}

export function isTerminal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export class InvalidTransition extends Error {
  override readonly name = 'InvalidTransition';
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`order status cannot go from ${from} to ${to} (allowed: ${TRANSITIONS[from].join(', ') || 'none'})`);
  }
}

/** Returns `to` when allowed, throws InvalidTransition otherwise. */
export function transition(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw new InvalidTransition(from, to);
  return to;
}
