import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../src/shared/ttl-cache.js';

describe('TtlCache', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps an entry for its ttl, null values included, then forgets it', () => {
    vi.useFakeTimers();
    const c = new TtlCache<number, string | null>(1000, 10);
    c.set(1, null);
    expect(c.get(1)).toEqual({ value: null, at: expect.any(Number) });
    vi.advanceTimersByTime(999);
    expect(c.get(1)?.value).toBeNull();
    vi.advanceTimersByTime(1);
    expect(c.get(1)).toBeUndefined();
  });

  it('starts over beyond max entries; overwriting a key does not count', () => {
    const c = new TtlCache<string, number>(60_000, 2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('b', 3);
    expect([c.get('a')?.value, c.get('b')?.value]).toEqual([1, 3]);
    c.set('c', 4);
    expect([c.get('a'), c.get('b'), c.get('c')?.value]).toEqual([undefined, undefined, 4]);
  });

  it('perOwner: one cache per owner', () => {
    const of = TtlCache.perOwner<object, string, number>(60_000, 10);
    const x = {};
    const y = {};
    of(x).set('k', 1);
    expect(of(x).get('k')?.value).toBe(1);
    expect(of(y).get('k')).toBeUndefined();
  });
});
