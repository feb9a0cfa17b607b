/**
 * The pipeline with an adaptive write size (batch-pipeline.ts + adaptive-write-size.ts): groups are cut at
 * the size of the moment; the initial size's groups go out side by side as with a fixed size; while the size grows, the next group waits for the write in flight, so each step
 * of the growth costs one write; at its size, several groups are in flight again; commits stay in read
 * order with the cursor of each group's last page.
 */
import { describe, expect, it } from 'vitest';
import type { Batch, SourceRecord } from '../../../src/connectors/contract.js';
import { runPipeline, type Group, type PipelineSteps } from '../../../src/engine/records/batch-pipeline.js';
import { AdaptiveWriteSize } from '../../../src/engine/records/adaptive-write-size.js';

async function* pages(n: number, size: number): AsyncGenerator<Batch> {
  for (let i = 1; i <= n; i += size) {
    const records = Array.from({ length: Math.min(size, n - i + 1) }, (_, k) => ({ id: String(i + k), data: { key: String(i + k) } }) as unknown as SourceRecord);
    yield { records, cursor: { last: i + records.length - 1 } } as unknown as Batch;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(adaptive: AdaptiveWriteSize, n: number, page: number) {
  let inFlight = 0;
  let maxInFlight = 0;
  const commits: Array<{ size: number; cursor: unknown }> = [];
  const steps: PipelineSteps<number> = {
    sync: async (records) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(3);
      // the write tells the size how it went: fast per record, as a fixed cost per write would make it
      adaptive.observe(records.length, 5 + records.length * 0.001);
      inFlight -= 1;
      return records.length;
    },
    commit: async (size, group: Group) => {
      commits.push({ size, cursor: group.cursor });
    },
    keysOf: (r) => [r.id],
  };
  return { done: runPipeline(pages(n, page), { batchSize: adaptive.size, concurrency: 2, adaptive }, steps), commits, max: () => maxInFlight };
}

describe('runPipeline with an adaptive write size', () => {
  it('the initial size goes out side by side; then one write per step of the growth, then two in flight at the largest size; commits in read order', async () => {
    const size = new AdaptiveWriteSize({ system: 'erp', min: 10, max: 400, initial: 50, budgetMs: 60_000 });
    const r = run(size, 2_000, 10);
    await r.done;
    // three groups were cut at the initial 50 before the first write answered (two in flight, one waiting for
    // a slot); each growth after that is one write, measured before the next group is cut
    expect(r.commits.map((c) => c.size)).toEqual([50, 50, 50, 100, 200, 400, 400, 400, 350]);
    const lasts = r.commits.map((c) => (c.cursor as { last: number }).last);
    expect(lasts).toEqual([50, 100, 150, 250, 450, 850, 1250, 1650, 2000]);
    expect(r.max()).toBe(2);
  });

  it('a fixed size cuts every group at it, two in flight from the start', async () => {
    const size = new AdaptiveWriteSize({ system: 'erp', min: 50, max: 50 });
    const r = run(size, 300, 10);
    await r.done;
    expect(r.commits.map((c) => c.size)).toEqual([50, 50, 50, 50, 50, 50]);
    expect(r.max()).toBe(2);
  });
});
