import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { DLQ_HEADERS, headerText, originalHeaders } from './dead-letters';

export interface ReplayOptions {
  kafka: Kafka;
  /** The dead-letter topic, e.g. 'products.product.dlq'. */
  deadLetterTopic: string;
  logger: Logger;
  /** Gives up waiting for dead letters after this long without one. */
  idleTimeoutMs?: number;
}

/**
 * Puts every dead letter not replayed before back onto the topic it came from, with its original
 * key, bytes and headers. Its own consumer group remembers what was replayed; consumers' inboxes
 * make a letter that reaches a group twice harmless.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<{ replayed: number }> {
  const { kafka, deadLetterTopic, logger, idleTimeoutMs = 5000 } = options;
  const groupId = `${deadLetterTopic}.replay`;
  const admin = kafka.admin();
  await admin.connect();
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(deadLetterTopic),
    admin.fetchOffsets({ groupId, topics: [deadLetterTopic] }),
  ]).finally(() => admin.disconnect());
  // Replays what is there now and not replayed before, not letters that arrive while it runs.
  const remaining = new Map<number, bigint>();
  for (const { partition, high, low } of ends) {
    const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    const next = BigInt(offset) >= 0n ? BigInt(offset) : BigInt(low);
    if (BigInt(high) > next) remaining.set(partition, BigInt(high));
  }
  const consumer = kafka.consumer({ groupId });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([consumer.connect(), producer.connect()]);
  let replayed = 0;
  try {
    await consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
    let lastProgress = Date.now();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const markCaughtUp = (partition: number, next: bigint) => {
      const end = remaining.get(partition);
      if (end !== undefined && next >= end) remaining.delete(partition);
      if (remaining.size === 0) done();
    };
    if (remaining.size === 0) done();
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const end = remaining.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return;
        const target = headerText(message.headers, DLQ_HEADERS.topic) ?? deadLetterTopic.replace(/\.dlq$/, '');
        await producer.send({
          topic: target,
          acks: -1,
          messages: [
            {
              key: message.key,
              value: message.value,
              headers: { ...originalHeaders(message.headers ?? {}), 'dlq-replayed-at': new Date().toISOString() },
            },
          ],
        });
        const next = BigInt(message.offset) + 1n;
        await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
        replayed += 1;
        lastProgress = Date.now();
        logger.info(
          { target, offset: message.offset, reason: headerText(message.headers, DLQ_HEADERS.reason) },
          'dead letter replayed',
        );
        markCaughtUp(partition, next);
      },
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (Date.now() - lastProgress > idleTimeoutMs) {
          clearInterval(timer);
          reject(new Error(`replay stalled: no dead letter read from ${deadLetterTopic} for ${idleTimeoutMs} ms`));
        }
      }, 200);
      finished.then(() => {
        clearInterval(timer);
        resolve();
      }, reject);
    });
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
  }
  return { replayed };
}
