import type { Knex } from 'knex';
import type { Admin, Consumer as KafkaConsumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type avro from 'avsc';
import { avroType } from './avro';
import type { EventCatalogue, EventDefinition } from './catalogue';
import { deadLetterHeaders, deadLetterTopic } from './dead-letters';
import { eventMetrics } from './metrics';
import { createRegistryClient, RegistryError } from './registry';
import { backoff, interruptibleSleep } from './sleep';
import { INBOX_TABLE } from './tables';
import { decodeWire, WireFormatError } from './wire';

/** A decoded event, resolved into the reader schema of the consumer's catalogue. */
export interface IncomingEvent<P = Record<string, unknown>> {
  type: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  payload: P;
  eventId: string;
}

/** Applies one event inside the transaction that also records it in the inbox. */
export type EventHandler = (event: IncomingEvent<any>, trx: Knex.Transaction) => Promise<void>;

/** Thrown by a handler for an event that can never be applied: it goes to the dead-letter topic. */
export class PermanentEventError extends Error {}

/** Why a message went to the dead-letter topic. */
export type DeadLetterReason =
  | 'undecodable' | 'unknown-schema' | 'incompatible-schema' | 'invalid' | 'rejected' | 'retries-exhausted';

class DeadLetter extends Error {
  constructor(readonly reason: DeadLetterReason, message: string) {
    super(message);
  }
}

export interface ConsumerOptions {
  groupId: string;
  db: Knex;
  kafka: Kafka;
  registryUrl: string;
  /** Reader schemas: payloads are resolved into these, whatever (compatible) version was written. */
  catalogue: EventCatalogue;
  /** By event type; the topics subscribed to are those of the handled types. */
  handlers: Record<string, EventHandler>;
  logger: Logger;
  metrics: Metrics;
  fromBeginning?: boolean;
  /** Attempts at a failing event before it is dead-lettered as 'retries-exhausted'. */
  maxAttempts?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How long the broker waits for a silent member before giving its partitions to another. */
  sessionTimeoutMs?: number;
  /** How often the lag gauge is refreshed from the broker. */
  lagIntervalMs?: number;
  /** Test-only: runs after an event's transaction committed and before its offset is committed. */
  afterApply?: (event: IncomingEvent) => void | Promise<void>;
}

export interface Consumer {
  stop(): Promise<void>;
}

/**
 * Runs a consumer group whose effects are applied exactly once: each message's inbox row and
 * effect commit in one Postgres transaction, and the offset is committed only after it. A
 * redelivery finds its id in the inbox and is skipped.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const {
    groupId, db, kafka, catalogue, handlers, fromBeginning = false, maxAttempts = 20,
    retryMinMs = 200, retryMaxMs = 10_000, lagIntervalMs = 5000, sessionTimeoutMs = 30_000,
  } = options;
  const logger = options.logger.child({ component: 'consumer', groupId });
  const metrics = eventMetrics(options.metrics.registry);
  const registry = createRegistryClient(options.registryUrl);
  const readers = new Map<string, EventDefinition>();
  for (const type of Object.keys(handlers)) {
    const definition = catalogue[type];
    if (!definition) throw new Error(`handler for "${type}", which is not in the catalogue`);
    readers.set(type, definition);
  }
  const topics = [...new Set([...readers.values()].map((definition) => definition.topic))];
  const resolvers = new Map<number, { type: string; reader: avro.Type; resolver: avro.Resolver } | null>();
  const pause = interruptibleSleep();
  let stopping = false;

  const consumer: KafkaConsumer = kafka.consumer({
    groupId, allowAutoTopicCreation: true, sessionTimeout: sessionTimeoutMs, heartbeatInterval: Math.min(3000, sessionTimeoutMs / 5),
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  const admin: Admin = kafka.admin();

  /** The reader for a writer schema id; null when this group handles no event of that type. */
  async function readerFor(schemaId: number) {
    if (resolvers.has(schemaId)) return resolvers.get(schemaId)!;
    let writerSchema: object;
    try {
      writerSchema = await registry.schemaById(schemaId);
    } catch (error) {
      if (error instanceof RegistryError && !error.transient) throw new DeadLetter('unknown-schema', error.message);
      throw error;
    }
    const writer = avroType(writerSchema);
    const definition = writer.name ? readers.get(writer.name) : undefined;
    let entry = null;
    if (definition) {
      const reader = avroType(definition.schema);
      try {
        entry = { type: definition.type, reader, resolver: reader.createResolver(writer) };
      } catch (error) {
        throw new DeadLetter('incompatible-schema', `schema id ${schemaId} cannot be read as ${definition.type}: ${(error as Error).message}`);
      }
    }
    resolvers.set(schemaId, entry);
    return entry;
  }

  async function decode(topic: string, partition: number, message: KafkaMessage): Promise<IncomingEvent | null> {
    let wire;
    try {
      wire = decodeWire(message.value);
    } catch (error) {
      if (error instanceof WireFormatError) throw new DeadLetter('undecodable', error.message);
      throw error;
    }
    const entry = await readerFor(wire.schemaId);
    if (!entry) return null;
    let payload: Record<string, unknown>;
    try {
      payload = entry.reader.fromBuffer(wire.body, entry.resolver) as Record<string, unknown>;
    } catch (error) {
      throw new DeadLetter('undecodable', `${entry.type} body does not decode: ${(error as Error).message}`);
    }
    const eventId = payload.eventId;
    if (typeof eventId !== 'string' || eventId === '') {
      throw new DeadLetter('invalid', `${entry.type} has no eventId`);
    }
    return {
      type: entry.type, topic, partition, offset: message.offset,
      key: message.key ? message.key.toString() : null, payload, eventId,
    };
  }

  /** Inbox row and effect in one transaction; false when the inbox already held the event. */
  async function apply(event: IncomingEvent): Promise<boolean> {
    const handler = handlers[event.type]!;
    return db.transaction(async (trx) => {
      const inserted = await trx(INBOX_TABLE)
        .insert({
          group_id: groupId, event_id: event.eventId, event_type: event.type,
          topic: event.topic, partition: event.partition, offset: event.offset,
        })
        .onConflict(['group_id', 'event_id']).ignore()
        .returning('event_id');
      if (inserted.length === 0) return false;
      try {
        await handler(event, trx);
      } catch (error) {
        if (error instanceof PermanentEventError) throw new DeadLetter('rejected', error.message);
        throw error;
      }
      return true;
    });
  }

  async function deadLetter(topic: string, partition: number, message: KafkaMessage, error: DeadLetter) {
    await producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{
        key: message.key, value: message.value,
        headers: deadLetterHeaders(message.headers ?? {}, {
          reason: error.reason, error: error.message, topic, partition, offset: message.offset, group: groupId,
        }),
      }],
    });
    metrics.consumerDeadLettered.inc({ group: groupId, topic, reason: error.reason });
    logger.error({ topic, partition, offset: message.offset, reason: error.reason, err: error }, 'message dead-lettered');
  }

  /** Handles one message to a final outcome; false if stopped (or the batch went stale) before one. */
  async function handle(topic: string, partition: number, message: KafkaMessage, stillOurs: () => boolean, heartbeat: () => Promise<void>) {
    let label = 'unknown';
    for (let attempt = 1; ; attempt++) {
      try {
        const event = await decode(topic, partition, message);
        if (!event) return true;
        label = event.type;
        if (await apply(event)) {
          metrics.consumerProcessed.inc({ group: groupId, type: event.type });
          const occurredAt = Number(event.payload.occurredAt);
          if (Number.isFinite(occurredAt)) {
            metrics.endToEnd.observe({ group: groupId, type: event.type }, Math.max(0, Date.now() - occurredAt) / 1000);
          }
        } else {
          metrics.consumerDuplicates.inc({ group: groupId, type: event.type });
        }
        await options.afterApply?.(event);
        return true;
      } catch (caught) {
        let error = caught;
        const final = error instanceof DeadLetter ? error
          : attempt >= maxAttempts ? new DeadLetter('retries-exhausted', `${attempt} attempts, last: ${(error as Error).message}`)
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
        if (stopping || !stillOurs()) return false;
        await pause.sleep(backoff(attempt, retryMinMs, retryMaxMs));
        if (stopping || !stillOurs()) return false;
        await heartbeat().catch(() => {});
      }
    }
  }

  async function refreshLag() {
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const done = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const position = Number(done) >= 0 ? Number(done) : Number(end.low);
          metrics.consumerLag.set({ group: groupId, topic, partition: String(end.partition) }, Math.max(0, Number(end.high) - position));
        }
      }
    } catch (error) {
      logger.debug({ err: error }, 'consumer lag refresh failed');
    }
  }

  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  // Subscribing to a topic nobody has written yet fails: create it (and its dead-letter topic)
  // with the broker's defaults; topics that exist are left as they are.
  await admin.createTopics({
    topics: topics.flatMap((topic) => [topic, deadLetterTopic(topic)]).map((topic) => ({ topic })),
    waitForLeaders: true,
  });
  await consumer.subscribe({ topics, fromBeginning });
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const stillOurs = () => isRunning() && !isStale();
      let done: string | undefined;
      let sinceCommit = Date.now();
      const commit = async () => {
        if (done === undefined) return;
        // Committed only after the events' transactions: a crash before this re-delivers, the inbox skips.
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(done) + 1n).toString() }]);
        done = undefined;
        sinceCommit = Date.now();
      };
      for (const message of batch.messages) {
        if (stopping || !stillOurs()) break;
        if (!(await handle(batch.topic, batch.partition, message, stillOurs, heartbeat))) break;
        resolveOffset(message.offset);
        done = message.offset;
        if (Date.now() - sinceCommit > 1000) {
          await commit();
          await heartbeat();
        }
      }
      await commit();
    },
  });
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
      await consumer.disconnect();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}
