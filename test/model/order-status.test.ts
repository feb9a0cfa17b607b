import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type OrderStatus } from '../../src/model/entities.js';
import { InvalidTransition, canTransition, isTerminal, nextStatuses, transition } from '../../src/model/order-status.js';

/** The order lifecycle as specified: from → where it may go next (staying put is always allowed). */
const ALLOWED: Record<OrderStatus, OrderStatus[]> = {
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

const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

describe('order status transitions', () => {
  it.each(pairs)('%s → %s', (from, to) => {
    const allowed = from === to || ALLOWED[from].includes(to);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(transition(from, to)).toBe(to);
    } else {
      expect(() => transition(from, to)).toThrow(InvalidTransition);
    }
  });

  it('lists the next statuses of each status', () => {
    for (const s of ORDER_STATUSES) expect([...nextStatuses(s)].sort()).toEqual([...ALLOWED[s]].sort());
  });

  it('refunded is the only terminal status, and every status can reach it or is it', () => {
    expect(ORDER_STATUSES.filter(isTerminal)).toEqual(['refunded']);
    const reach = (from: OrderStatus, seen = new Set<OrderStatus>()): Set<OrderStatus> => {
      for (const n of nextStatuses(from)) if (!seen.has(n)) reach(n, seen.add(n));
      return seen;
    };
    for (const s of ORDER_STATUSES.filter((x) => x !== 'refunded')) expect(reach(s).has('refunded'), s).toBe(true);
  });

  it('never moves a shipped order back to an unshipped state (stale events are refused)', () => {
    for (const from of ['shipped', 'delivered', 'completed'] as const) {
      for (const to of ['pending', 'on_hold', 'confirmed', 'partially_shipped', 'failed'] as const) expect(canTransition(from, to), `${from}→${to}`).toBe(false);
    }
  });

  it('says what is allowed when refusing', () => {
    const e = (() => {
      try {
        transition('delivered', 'pending');
      } catch (err) {
        return err as InvalidTransition;
      }
      throw new Error('expected InvalidTransition');
    })();
    expect(e).toMatchObject({ name: 'InvalidTransition', from: 'delivered', to: 'pending' });
    expect(e.message).toBe('order status cannot go from delivered to pending (allowed: completed, refunded)');
    expect(() => transition('refunded', 'completed')).toThrow('order status cannot go from refunded to completed (allowed: none)');
  });
});
