import type { Consumer as KafkaConsumer, EachBatchPayload } from 'kafkajs';
import type { Applier } from './apply';
import type { HandleOne } from './retry';

interface BatchOptions {
  consumer: KafkaConsumer;
  applyRun: Applier['applyRun'];
  handleOne: HandleOne;
  isStopping(): boolean;
}

/** How often, at most, offsets are committed while a long batch is worked through. */
const commitEveryMs = 1000;

/**
 * Works through one fetched batch of a partition, in order: runs of messages on the fast path,
 * and a message the run could not settle one by one. Offsets are committed only after the
 * events' transactions: a crash before a commit re-delivers, and the inbox skips what was applied.
 */
export function batchWorker({ consumer, applyRun, handleOne, isStopping }: BatchOptions) {
  return async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const turn = { stillOurs: () => isRunning() && !isStale(), heartbeat };
    const { topic, partition, messages } = batch;
    let done: string | undefined;
    let sinceCommit = Date.now();
    const commit = async () => {
      if (done === undefined) return;
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(done) + 1n).toString() }]);
      done = undefined;
      sinceCommit = Date.now();
    };
    let next = 0;
    const resolved = async (count: number) => {
      next += count;
      done = messages[next - 1]!.offset;
      resolveOffset(done);
      if (Date.now() - sinceCommit > commitEveryMs) {
        await commit();
        await heartbeat();
      }
    };
    processing: while (next < messages.length && !isStopping() && turn.stillOurs()) {
      const { settled, fallback } = await applyRun(topic, partition, messages.slice(next));
      if (settled > 0) {
        await resolved(settled);
        continue;
      }
      for (let i = 0; i < fallback; i++) {
        if (!(await handleOne(topic, partition, messages[next]!, turn))) break processing;
        await resolved(1);
      }
    }
    await commit();
  };
}
