import { describe, expect, it } from 'vitest';
import { FeedTracker, stateHash } from '../../../src/connectors/woocommerce/feed-tracker.js';

describe('FeedTracker (cursor at the read start, overlap window, de-dup, resume)', () => {
  it('moves the cursor to the start of a finished read, not to the newest record', () => {
    const a = new FeedTracker(null, 30);
    expect(a.since()).toBeNull();
    a.begin('2026-11-26T14:02:00');
    expect(a.admit(1, '2026-11-26T14:01:38', { v: 1 })).toBe(true);
    expect(a.admit(2, '2026-11-26T14:01:59', { v: 1 })).toBe(true);
    expect(a.admit(3, '2026-11-26T10:00:00', { v: 1 })).toBe(true);
    a.delivered(3);
    const c = a.finish() as { t: string; seen: Record<string, string> };
    expect(c.t).toBe('2026-11-26T14:02:00');
    // Only what the next read (modified_after 14:01:30) can return again is remembered.
    expect(Object.keys(c.seen).sort()).toEqual(['1', '2']);
    const b = new FeedTracker(c, 30);
    expect(b.since()).toBe('2026-11-26T14:01:30');
  });

  it('delivers a record again only when it changed (same second, other content counts)', () => {
    const a = new FeedTracker(null, 30);
    a.begin('2026-11-26T14:02:00');
    a.admit(1, '2026-11-26T14:01:50', { v: 1 });
    a.admit(2, '2026-11-26T14:01:50', { v: 1 });
    a.delivered(2);
    const b = new FeedTracker(a.finish(), 30);
    b.begin('2026-11-26T14:03:00');
    expect(b.admit(1, '2026-11-26T14:01:50', { v: 1 })).toBe(false);
    expect(b.admit(2, '2026-11-26T14:01:50', { v: 2 })).toBe(true);
  });

  it('ignores per-request noise: shuffled related_ids and _links are the same state', () => {
    const p = { id: 5, name: 'Tee', related_ids: [1, 2, 3], _links: { self: [{ href: 'a' }] } };
    expect(stateHash([p, []])).toBe(stateHash([{ ...p, related_ids: [3, 1, 2], _links: {} }, []]));
    expect(stateHash([p, []])).not.toBe(stateHash([{ ...p, name: 'Tee 2' }, []]));
  });

  it('an unfinished read resumes after the last id it delivered and ends at its own start', () => {
    const a = new FeedTracker({ t: '2026-11-26T12:00:00', seen: {} }, 30);
    a.begin('2026-11-26T14:00:00');
    expect(a.admit(10, '2026-11-26T13:00:00', {})).toBe(true);
    a.delivered(10);
    const mid = a.cursor();
    const b = new FeedTracker(mid, 30);
    expect(b.since()).toBe('2026-11-26T11:59:30');
    b.begin('2026-11-26T15:00:00');
    expect(b.admit(10, '2026-11-26T13:00:00', {})).toBe(false);
    expect(b.admit(11, '2026-11-26T13:00:00', {})).toBe(true);
    b.delivered(11);
    expect((b.finish() as { t: string }).t).toBe('2026-11-26T14:00:00');
  });

  it('drops a repeat of an id inside one read (a page shifted by a record entering the set)', () => {
    const a = new FeedTracker(null, 30);
    a.begin('2026-11-26T14:00:00');
    expect(a.admit(7, '2026-11-26T10:00:00', {})).toBe(true);
    a.delivered(7);
    expect(a.admit(7, '2026-11-26T10:00:00', {})).toBe(false);
  });
});
