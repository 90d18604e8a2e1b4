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
import { ensureTopics } from '../kafka/topics';

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
  /** Most messages applied in one transaction. */
  maxRun?: number;
  /** Partitions processed at the same time (each in order); each takes a pooled connection while it works. */
  partitionsConsumedConcurrently?: number;
  /** How long the broker waits for a silent member before giving its partitions to another. */
  sessionTimeoutMs?: number;
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
 * effect commit in one Postgres transaction, and the offset is committed only after it. A
 * redelivery finds its id in the inbox and is skipped.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const {
    groupId, db, kafka, catalogue, handlers, fromBeginning = false, maxAttempts = 20,
    retryMinMs = 200, retryMaxMs = 10_000, lagIntervalMs = 5000, sessionTimeoutMs = 30_000,
    maxRun = 100, partitionsConsumedConcurrently = 3,
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
    let writer: avro.Type;
    try {
      writer = avroType(writerSchema);
    } catch (error) {
      throw new DeadLetter('unknown-schema', `schema id ${schemaId} is not an Avro schema: ${(error as Error).message}`);
    }
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

  /**
   * Records `events` in the inbox with one statement and runs the handler, in order, for each one
   * the inbox did not hold yet. Returns, per event, whether it was applied (false: a duplicate).
   */
  async function applyIn(trx: Knex.Transaction, events: IncomingEvent[]): Promise<boolean[]> {
    const result = await trx.raw(
      `insert into ${INBOX_TABLE} (group_id, event_id, event_type, topic, partition, "offset")
       select ?, * from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[])
       on conflict (group_id, event_id) do nothing returning event_id`,
      [groupId, events.map((e) => e.eventId), events.map((e) => e.type), events.map((e) => e.topic),
        events.map((e) => e.partition), events.map((e) => e.offset)],
    );
    // A run can hold the same event twice (a relay re-send): only its first copy is applied.
    const fresh = new Set<string>(result.rows.map((row: { event_id: string }) => row.event_id));
    const applied: boolean[] = [];
    for (const event of events) {
      const isFresh = fresh.delete(event.eventId);
      if (isFresh) {
        try {
          await (handlers[event.type]!)(event, trx);
        } catch (error) {
          if (error instanceof PermanentEventError) throw new DeadLetter('rejected', error.message);
          throw error;
        }
      }
      applied.push(isFresh);
    }
    return applied;
  }

  /** Counts an event whose transaction committed, then runs the test hook. */
  async function settled(event: IncomingEvent, fresh: boolean) {
    if (fresh) {
      metrics.consumerProcessed.inc({ group: groupId, type: event.type });
      const occurredAt = Number(event.payload.occurredAt);
      if (Number.isFinite(occurredAt)) {
        metrics.endToEnd.observe({ group: groupId, type: event.type }, Math.max(0, Date.now() - occurredAt) / 1000);
      }
    } else {
      metrics.consumerDuplicates.inc({ group: groupId, type: event.type });
    }
    await options.afterApply?.(event);
  }

  /**
   * The fast path: consecutive messages decoded and applied in ONE transaction, so a busy
   * partition costs one commit per run instead of one per event. It settles all of the run or
   * none: on any failure it returns how many messages to take down the one-by-one path instead.
   */
  async function applyRun(topic: string, partition: number, messages: KafkaMessage[]): Promise<{ settled: number; fallback: number }> {
    const run: Array<IncomingEvent | null> = [];
    for (const message of messages.slice(0, maxRun)) {
      try {
        run.push(await decode(topic, partition, message));
      } catch {
        break;
      }
    }
    if (run.length < 2) return { settled: 0, fallback: 1 };
    const events = run.filter((event): event is IncomingEvent => event !== null);
    let fresh: boolean[];
    try {
      fresh = events.length > 0 ? await db.transaction((trx) => applyIn(trx, events)) : [];
    } catch {
      return { settled: 0, fallback: run.length };
    }
    for (const [index, event] of events.entries()) await settled(event, fresh[index]!);
    return { settled: run.length, fallback: 0 };
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
        const [fresh] = await db.transaction((trx) => applyIn(trx, [event]));
        await settled(event, fresh!);
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
  // Subscribing to a topic nobody has written yet fails: create it and its dead-letter topic.
  await ensureTopics(admin, topics.flatMap((topic) => [topic, deadLetterTopic(topic)]));
  await consumer.subscribe({ topics, fromBeginning });
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently,
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
      const messages = batch.messages;
      let next = 0;
      const resolved = async (count: number) => {
        next += count;
        done = messages[next - 1]!.offset;
        resolveOffset(done);
        if (Date.now() - sinceCommit > 1000) {
          await commit();
          await heartbeat();
        }
      };
      processing: while (next < messages.length && !stopping && stillOurs()) {
        const { settled: count, fallback } = await applyRun(batch.topic, batch.partition, messages.slice(next));
        if (count > 0) {
          await resolved(count);
          continue;
        }
        for (let i = 0; i < fallback; i++) {
          if (!(await handle(batch.topic, batch.partition, messages[next]!, stillOurs, heartbeat))) break processing;
          await resolved(1);
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
