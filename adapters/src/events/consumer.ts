import type { Knex } from 'knex';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { interruptibleSleep } from '../loop';
import type { Metrics } from '../metrics';
import { ensureTopics } from '../kafka/topics';
import type { EventCatalogue, EventDefinition } from './catalogue';
import { deadLetterTopic } from './dead-letters';
import { eventMetrics } from './metrics';
import { createRegistryClient } from './registry';
import { createApplier } from './consumer/apply';
import { batchWorker } from './consumer/batch';
import { deadLetterSender } from './consumer/dead-letter';
import { createDecoder } from './consumer/decode';
import type { EventHandler, IncomingEvent } from './consumer/event';
import { inbox, type RunHooks } from './consumer/inbox';
import { lagRefresher } from './consumer/lag';
import { restartOnCrash } from './consumer/restart';
import { oneByOne } from './consumer/retry';

export { PermanentEventError, type EventHandler, type IncomingEvent } from './consumer/event';
export type { LockFirst, RunHooks } from './consumer/inbox';

export interface ConsumerOptions {
  groupId: string;
  db: Knex;
  kafka: Kafka;
  registryUrl: string;
  /** Reader schemas: payloads are resolved into these, whatever (compatible) version was written. */
  catalogue: EventCatalogue;
  /** By event type; the topics subscribed to are those of the handled types. */
  handlers: Record<string, EventHandler>;
  /** Locks what a run's handlers will lock, in one order, before they run (./consumer/inbox.ts). */
  lockFirst?: RunHooks['lockFirst'];
  /** Writes what the run's handlers queued, after the last of them (./consumer/inbox.ts). */
  beforeCommit?: RunHooks['beforeCommit'];
  logger: Logger;
  metrics: Metrics;
  fromBeginning?: boolean;
  /** Attempts at a failing event before it is dead-lettered as 'retries-exhausted'. */
  maxAttempts?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Most messages applied in one transaction. */
  maxRun?: number;
  /** Partitions processed at the same time (each in order); each takes a pooled connection while it works. */
  partitionsConsumedConcurrently?: number;
  /** How long the broker waits for a silent member before giving its partitions to another. */
  sessionTimeoutMs?: number;
  /** First and longest pause before restarting a consumer that crashed after it started. */
  restartMinMs?: number;
  restartMaxMs?: number;
  /** How often the lag gauge is refreshed from the broker. */
  lagIntervalMs?: number;
  /** For tests and benchmarks: runs after an event's transaction committed and before its offset is committed. */
  afterApply?: (event: IncomingEvent) => void | Promise<void>;
}

export interface Consumer {
  stop(): Promise<void>;
}

/**
 * Runs a consumer group whose effects are applied exactly once: each message's inbox row and
 * effect commit in one Postgres transaction (./consumer/inbox.ts), and the offset is committed
 * only after it (./consumer/batch.ts). A redelivery finds its id in the inbox and is skipped.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const {
    groupId,
    db,
    kafka,
    catalogue,
    handlers,
    fromBeginning = false,
    maxAttempts = 20,
    retryMinMs = 200,
    retryMaxMs = 10_000,
    lagIntervalMs = 5000,
    sessionTimeoutMs = 30_000,
    maxRun = 100,
    partitionsConsumedConcurrently = 3,
    restartMinMs = 1000,
    restartMaxMs = 30_000,
  } = options;
  const logger = options.logger.child({ component: 'consumer', groupId });
  const metrics = eventMetrics(options.metrics.registry);
  const readers = readersOf(catalogue, handlers);
  const topics = [...new Set([...readers.values()].map((definition) => definition.topic))];
  const pause = interruptibleSleep();
  let stopping = false;
  const isStopping = () => stopping;

  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: true,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, sessionTimeoutMs / 5),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  const admin = kafka.admin();

  const decode = createDecoder(createRegistryClient(options.registryUrl), readers);
  const { applyRun, applyOne } = createApplier({
    groupId,
    db,
    decode,
    applyIn: inbox(groupId, handlers, { lockFirst: options.lockFirst, beforeCommit: options.beforeCommit }),
    metrics,
    maxRun,
    afterApply: options.afterApply,
  });
  const handleOne = oneByOne({
    groupId,
    decode,
    applyOne,
    deadLetter: deadLetterSender(producer, groupId, metrics, logger),
    metrics,
    logger,
    maxAttempts,
    retryMinMs,
    retryMaxMs,
    pause,
    isStopping,
  });

  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  // Subscribing to a topic nobody has written yet fails: create it and its dead-letter topic.
  await ensureTopics(
    admin,
    topics.flatMap((topic) => [topic, deadLetterTopic(topic)]),
  );
  await consumer.subscribe({ topics, fromBeginning });
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      off();
      resolve();
    });
  });
  const runConfig = {
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently,
    eachBatch: batchWorker({ consumer, applyRun, handleOne, isStopping }),
  };
  const restarts = restartOnCrash({
    consumer,
    runConfig,
    groupId,
    metrics,
    logger,
    isStopping,
    restartMinMs,
    restartMaxMs,
  });
  await consumer.run(runConfig);
  const refreshLag = lagRefresher(admin, groupId, topics, metrics, logger);
  const lagTimer = setInterval(() => void refreshLag(), lagIntervalMs);
  lagTimer.unref();
  // Callers (and tests) may write as soon as this resolves: wait until partitions are assigned.
  await Promise.race([joined, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  logger.info({ topics }, 'consumer running');

  return {
    async stop() {
      stopping = true;
      pause.wake();
      clearInterval(lagTimer);
      await restarts.stop();
      await consumer.disconnect();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}

/** The reader schema of each handled type; a handler for a type the catalogue lacks is a wiring mistake. */
function readersOf(catalogue: EventCatalogue, handlers: Record<string, EventHandler>): Map<string, EventDefinition> {
  const readers = new Map<string, EventDefinition>();
  for (const type of Object.keys(handlers)) {
    const definition = catalogue[type];
    if (!definition) throw new Error(`handler for "${type}", which is not in the catalogue`);
    readers.set(type, definition);
  }
  return readers;
}
