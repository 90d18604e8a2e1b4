import type { KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { backoff, type interruptibleSleep } from '../../loop';
import type { EventMetrics } from '../metrics';
import type { Applier } from './apply';
import { DeadLetter, type SendDeadLetter } from './dead-letter';
import type { Decode } from './decode';

interface RetryOptions {
  groupId: string;
  decode: Decode;
  applyOne: Applier['applyOne'];
  deadLetter: SendDeadLetter;
  metrics: EventMetrics;
  logger: Logger;
  /** Attempts at a failing event before it is dead-lettered as 'retries-exhausted'. */
  maxAttempts: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** The consumer's pause between attempts, which its stop ends early. */
  pause: ReturnType<typeof interruptibleSleep>;
  isStopping(): boolean;
}

/** Where a message is being handled: whether to go on, and how to tell the broker this member is alive. */
interface Turn {
  stillOurs(): boolean;
  heartbeat(): Promise<void>;
}

export type HandleOne = (topic: string, partition: number, message: KafkaMessage, turn: Turn) => Promise<boolean>;

/**
 * Handles one message to a final outcome: applied, skipped as a duplicate, or dead-lettered. A
 * transient failure is retried with backoff; false if stopped (or the batch went stale) before an outcome.
 */
export function oneByOne(options: RetryOptions): HandleOne {
  const { groupId, decode, applyOne, deadLetter, metrics, logger, maxAttempts, retryMinMs, retryMaxMs, pause } =
    options;
  const goOn = (turn: Turn) => !options.isStopping() && turn.stillOurs();
  return async (topic, partition, message, turn) => {
    let label = 'unknown';
    for (let attempt = 1; ; attempt++) {
      try {
        const event = await decode(topic, partition, message);
        if (!event) return true;
        label = event.type;
        await applyOne(event);
        return true;
      } catch (caught) {
        let error = caught;
        const final =
          error instanceof DeadLetter
            ? error
            : attempt >= maxAttempts
              ? new DeadLetter('retries-exhausted', `${attempt} attempts, last: ${(error as Error).message}`)
              : undefined;
        if (final) {
          try {
            await deadLetter(topic, partition, message, final);
            return true;
          } catch (produceError) {
            error = produceError;
          }
        }
        metrics.consumerFailures.inc({ group: groupId, type: label });
        logger.warn({ err: error, topic, partition, offset: message.offset, attempt }, 'event failed; retrying');
        if (!goOn(turn)) return false;
        await pause.sleep(backoff(attempt, retryMinMs, retryMaxMs));
        if (!goOn(turn)) return false;
        await turn.heartbeat().catch(() => {});
      }
    }
  };
}
