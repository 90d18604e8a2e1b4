import { describe, expect, test } from '@jest/globals';
import type { OutboxRow } from './claim';
import { publishPipeline, type Batch } from './pipeline';

/** Stages over an in-memory outbox of `total` rows; sends resolve or fail when the test says so. */
function fakeOutbox(total: number, batchSize: number) {
  const published = new Set<string>();
  const log: string[] = [];
  const sends: Array<{ ids: string[]; settle: (ok: boolean) => void }> = [];
  let inProducer = 0;
  const row = (id: number) => ({ id: String(id) }) as OutboxRow;
  const pipeline = publishPipeline(
    {
      async markAndClaim(acknowledged, inFlight, limit) {
        for (const id of acknowledged) published.add(id);
        log.push(`mark ${acknowledged.join(',')}`);
        const skip = new Set([...acknowledged, ...inFlight]);
        return Array.from({ length: total }, (_, i) => row(i + 1))
          .filter((r) => !published.has(r.id) && !skip.has(r.id))
          .slice(0, limit);
      },
      encode: async () => [],
      produce(batch: Batch) {
        inProducer += 1;
        const ids = batch.rows.map((r) => r.id);
        log.push(`send ${ids.join(',')} (${inProducer} with the producer)`);
        return new Promise<void>((resolve, reject) => {
          sends.push({
            ids,
            settle(ok) {
              inProducer -= 1;
              if (ok) resolve();
              else reject(new Error('refused'));
            },
          });
        });
      },
      failed: async () => {},
    },
    batchSize,
  );
  return { pipeline, published, log, sends };
}

/** Lets the pipeline run until it waits on a send. */
const settleMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('publishPipeline', () => {
  test('sends one batch at a time, claims the next meanwhile, and marks a batch only after its ack', async () => {
    const { pipeline, published, log, sends } = fakeOutbox(6, 2);
    const first = pipeline.cycle();
    await settleMicrotasks();
    expect(sends.map((s) => s.ids)).toEqual([['1', '2']]);
    expect(published.size).toBe(0);
    sends[0]!.settle(true);
    expect((await first).map((r) => r.id)).toEqual(['1', '2']);

    const second = pipeline.cycle();
    await settleMicrotasks();
    // Rows 1 and 2 are marked by the statement that claims 5 and 6, while 3 and 4 are with the broker.
    expect([...published]).toEqual(['1', '2']);
    sends[1]!.settle(true);
    await second;
    expect(log.every((line) => !line.includes('(2 with the producer)'))).toBeTruthy();
  });

  test('a failed batch drops the one claimed behind it and is claimed again first; its rows are never marked', async () => {
    const { pipeline, published, sends } = fakeOutbox(6, 2);
    const first = pipeline.cycle();
    await settleMicrotasks();
    sends[0]!.settle(true);
    await first;
    const failing = pipeline.cycle();
    await settleMicrotasks();
    sends[1]!.settle(false);
    await expect(failing).rejects.toThrow('refused');
    expect(published.has('3') || published.has('5')).toBeFalsy();

    const retry = pipeline.cycle();
    await settleMicrotasks();
    // The retry starts again from the oldest unpublished row: 3 and 4, not the claimed-ahead 5 and 6.
    expect(sends[2]!.ids).toEqual(['3', '4']);
    sends[2]!.settle(true);
    await retry;
    await pipeline.flush();
    expect([...published].sort()).toEqual(['1', '2', '3', '4']);
  });
});
