import type { KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { deadLetterHeaders, deadLetterTopic } from '../dead-letters';
import type { EventMetrics } from '../metrics';

/** Why a message went to the dead-letter topic. */
type DeadLetterReason =
  'undecodable' | 'unknown-schema' | 'incompatible-schema' | 'invalid' | 'rejected' | 'retries-exhausted';

/** A message that can never be applied as it is: thrown by decoding or applying, caught by the retry loop. */
export class DeadLetter extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
  }
}

export type SendDeadLetter = (
  topic: string,
  partition: number,
  message: KafkaMessage,
  letter: DeadLetter,
) => Promise<void>;

/** Puts a message, its original key, bytes and headers, on `<topic>.dlq` with where it came from and why. */
export function deadLetterSender(
  producer: Producer,
  groupId: string,
  metrics: EventMetrics,
  logger: Logger,
): SendDeadLetter {
  return async (topic, partition, message, letter) => {
    await producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: deadLetterHeaders(message.headers ?? {}, {
            reason: letter.reason,
            error: letter.message,
            topic,
            partition,
            offset: message.offset,
            group: groupId,
          }),
        },
      ],
    });
    metrics.consumerDeadLettered.inc({ group: groupId, topic, reason: letter.reason });
    logger.error(
      { topic, partition, offset: message.offset, reason: letter.reason, err: letter },
      'message dead-lettered',
    );
  };
}
