import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ensureTopics } from '../kafka/topics';

/**
 * Reads `count` messages of `topic` from the beginning with a throwaway group. With a registry URL
 * it decodes them with @kafkajs/confluent-schema-registry: an independent Confluent client, not
 * the backbone's own serde.
 */
export async function readTopic(kafka: Kafka, topic: string, count: number, registryUrl?: string, timeoutMs = 60_000) {
  const registry = registryUrl ? new SchemaRegistry({ host: registryUrl }) : undefined;
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const messages: Array<{ partition: number; message: KafkaMessage; decoded?: any }> = [];
  // The relay may not have written the topic yet, and kafkajs fails a subscribe to a topic the broker is still creating.
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic]).finally(() => admin.disconnect());
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let enough!: () => void;
    const reached = new Promise<void>((resolve) => {
      enough = resolve;
    });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const decoded = registry && message.value ? await registry.decode(message.value) : undefined;
        messages.push({ partition, message, decoded });
        if (messages.length >= count) enough();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      reached,
      new Promise<void>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`read ${messages.length} of ${count} messages from ${topic}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
