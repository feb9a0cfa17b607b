import { describe, expect, it } from 'vitest';
import { readAhead } from '../../src/engine/records/read-ahead.js';

/** A paged source that logs when each page is requested and delivered. */
function pages(n: number, log: string[], opts: { failAt?: number } = {}) {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (let i = 1; i <= n; i++) {
          log.push(`read ${i}`);
          await new Promise((r) => setTimeout(r, 5));
          if (i === opts.failAt) throw new Error(`page ${i} failed`);
          yield i;
        }
      } finally {
        log.push('closed');
      }
    },
  };
}

describe('readAhead: one page read ahead of the consumer', () => {
  it('requests page n+1 before page n is processed, never two pages ahead', async () => {
    const log: string[] = [];
    for await (const p of readAhead(pages(3, log))) {
      log.push(`process ${p} start`);
      await new Promise((r) => setTimeout(r, 20));
      log.push(`process ${p} end`);
    }
    const at = (e: string) => log.indexOf(e);
    expect(at('read 2')).toBeLessThan(at('process 1 end')); // page 2 is read while page 1 is processed
    expect(at('read 3')).toBeLessThan(at('process 2 end'));
    expect(at('read 3')).toBeGreaterThan(at('process 1 end')); // but never two pages ahead
    expect(log.filter((e) => e.startsWith('process')).length).toBe(6);
    expect(log).toContain('closed');
  });

  it('a page that fails ahead surfaces only after the previous page was processed', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const p of readAhead(pages(3, log, { failAt: 2 }))) {
          await new Promise((r) => setTimeout(r, 20));
          seen.push(p);
        }
      })(),
    ).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([1]);
  });

  it('a consumer that stops early closes the source after the read in flight settles', async () => {
    const log: string[] = [];
    for await (const p of readAhead(pages(5, log))) if (p === 2) break;
    expect(log).toEqual(['read 1', 'read 2', 'read 3', 'closed']);
  });
});
