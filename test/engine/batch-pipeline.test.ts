import { describe, expect, it } from 'vitest';
import type { Batch, SourceRecord } from '../../src/connectors/contract.js';
import { runPipeline, type Group, type PipelineSteps } from '../../src/engine/records/batch-pipeline.js';

const rec = (id: string, key = id): SourceRecord => ({ id, data: { key } }) as unknown as SourceRecord;

/** Pages of `size` records (ids 1..n), cursor = the last id of the page. */
async function* pages(n: number, size: number, keyOf: (i: number) => string = String): AsyncGenerator<Batch> {
  for (let i = 1; i <= n; i += size) {
    const records = Array.from({ length: Math.min(size, n - i + 1) }, (_, k) => rec(String(i + k), keyOf(i + k)));
    yield { records, cursor: { last: i + records.length - 1 } } as unknown as Batch;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Steps that log; the sync of a group takes `delay(first id)` ms. */
function steps(log: string[], delay: (first: number) => number, opts: { failAt?: number } = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  const commits: Array<{ ids: string[]; cursor: unknown }> = [];
  const s: PipelineSteps<string[]> = {
    sync: async (records) => {
      const first = Number(records[0]?.id);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      log.push(`sync ${first}`);
      await sleep(delay(first));
      inFlight -= 1;
      log.push(`done ${first}`);
      if (first === opts.failAt) throw new Error(`group ${first} failed`);
      return records.map((r) => r.id);
    },
    commit: async (ids, group: Group) => {
      commits.push({ ids, cursor: group.cursor });
      log.push(`commit ${ids[0]}`);
    },
    keysOf: (r) => [`k:${(r.data as unknown as { key: string }).key}`],
  };
  return { s, commits, max: () => maxInFlight };
}

describe('runPipeline: groups of pages, several in flight, committed in read order', () => {
  it('gathers whole pages up to the write batch and commits in read order although later groups finish first', async () => {
    const log: string[] = [];
    // pages of 10; groups of ≥ 25 records = 3 pages; the first group is the slowest
    const { s, commits, max } = steps(log, (first) => (first === 1 ? 60 : 5));
    await runPipeline(pages(100, 10), { batchSize: 25, concurrency: 3 }, s);
    expect(commits.map((c) => c.ids.length)).toEqual([30, 30, 30, 10]);
    expect(commits.map((c) => c.cursor)).toEqual([{ last: 30 }, { last: 60 }, { last: 90 }, { last: 100 }]);
    expect(log.indexOf('done 31')).toBeLessThan(log.indexOf('done 1')); // group 2 finished first…
    expect(log.indexOf('commit 31')).toBeGreaterThan(log.indexOf('commit 1')); // …and was committed after group 1
    expect(max()).toBe(3);
  });

  it('a smaller first group (`first`): the target starts after the first page; the groups after it take the write size', async () => {
    const log: string[] = [];
    const { s, commits } = steps(log, () => 2);
    await runPipeline(pages(1000, 100), { batchSize: 500, concurrency: 2, first: 100 }, s);
    expect(commits.map((c) => c.ids.length)).toEqual([100, 500, 400]);
    expect(commits.map((c) => c.cursor)).toEqual([{ last: 100 }, { last: 600 }, { last: 1000 }]);
    // whole pages: a first page bigger than `first` is the first group
    const big = steps([], () => 1);
    await runPipeline(pages(1000, 300), { batchSize: 500, concurrency: 2, first: 100 }, big.s);
    expect(big.commits.map((c) => c.ids.length)).toEqual([300, 600, 100]);
    // without it: groups of the write size from the start
    const plain = steps([], () => 1);
    await runPipeline(pages(1000, 100), { batchSize: 500, concurrency: 2 }, plain.s);
    expect(plain.commits.map((c) => c.ids.length)).toEqual([500, 500]);
  });

  it('one group at a time with concurrency 1', async () => {
    const log: string[] = [];
    const { s, max } = steps(log, () => 2);
    await runPipeline(pages(50, 10), { batchSize: 10, concurrency: 1 }, s);
    expect(max()).toBe(1);
    expect(log.filter((e) => e.startsWith('commit'))).toHaveLength(5);
  });

  it('a group sharing a key with a group in flight waits until that group is committed', async () => {
    const log: string[] = [];
    // ids 1 and 21 carry the same natural key; groups of one page of 10
    const { s } = steps(log, (first) => (first === 1 ? 40 : 2), {});
    await runPipeline(pages(40, 10, (i) => (i === 21 ? '1' : String(i))), { batchSize: 10, concurrency: 4 }, s);
    expect(log.indexOf('sync 11')).toBeLessThan(log.indexOf('done 1')); // no shared key: in flight together
    expect(log.indexOf('sync 21')).toBeGreaterThan(log.indexOf('commit 1')); // shared key: after the commit
  });

  it('a failed group: earlier groups commit, later ones do not, nothing runs after the error is thrown', async () => {
    const log: string[] = [];
    const { s, commits } = steps(log, (first) => (first === 11 ? 5 : 30), { failAt: 11 });
    await expect(runPipeline(pages(100, 10), { batchSize: 10, concurrency: 3 }, s)).rejects.toThrow('group 11 failed');
    const settled = log.length;
    await sleep(60);
    expect(log.length).toBe(settled); // every group in flight had settled before the throw
    expect(commits.map((c) => c.ids[0])).toEqual(['1']);
    expect(log).not.toContain('sync 41'); // no group launched after the failure
  });
});
