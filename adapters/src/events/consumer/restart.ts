import type { ConsumerRunConfig, Consumer as KafkaConsumer } from 'kafkajs';
import type { Logger } from 'pino';
import { backoff, interruptibleSleep } from '../../loop';
import type { EventMetrics } from '../metrics';

interface RestartOptions {
  consumer: KafkaConsumer;
  /** What `consumer.run` was first called with. */
  runConfig: ConsumerRunConfig;
  groupId: string;
  metrics: EventMetrics;
  logger: Logger;
  isStopping(): boolean;
  restartMinMs: number;
  restartMaxMs: number;
}

/**
 * kafkajs restarts a crashed consumer by itself only after a retriable error. After a
 * non-retriable one it stays disconnected for good: "The coordinator is not aware of this member"
 * is what a process paused past its session timeout (SIGSTOP, a long GC, a frozen VM) gets when it
 * resumes. This restarts it after those too, with growing pauses while restarts fail, until stopped.
 */
export function restartOnCrash(options: RestartOptions): { stop(): Promise<void> } {
  const { consumer, runConfig, groupId, metrics, logger, isStopping } = options;
  const pause = interruptibleSleep();
  let crashes = 0;
  // One restart at a time: a restart that crashes again queues the next one behind itself.
  let restarting = Promise.resolve();
  const scheduleRestart = () => {
    const waitMs = backoff(++crashes, options.restartMinMs, options.restartMaxMs);
    restarting = restarting.then(async () => {
      await pause.sleep(waitMs);
      if (isStopping()) return;
      logger.warn({ crashes }, 'restarting the consumer');
      try {
        await consumer.connect();
        await consumer.run(runConfig);
      } catch (error) {
        // A failure to join is reported as another crash by kafkajs; this is one to reach the broker.
        logger.error({ err: error }, 'consumer restart failed');
        scheduleRestart();
      }
    });
  };
  consumer.on(consumer.events.GROUP_JOIN, () => {
    crashes = 0;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (isStopping()) return;
    metrics.consumerRestarts.inc({ group: groupId });
    logger.error({ err: payload.error, restartedByKafkajs: payload.restart }, 'consumer crashed; restarting it');
    if (!payload.restart) scheduleRestart();
  });
  return {
    async stop() {
      pause.wake();
      await restarting;
    },
  };
}
