import type { Knex } from 'knex';
import type { Kafka, Producer, Message } from 'kafkajs';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import { avroType } from './avro';
import { definitionOf, type EventCatalogue } from './catalogue';
import { eventMetrics, type OutboxProbe } from './metrics';
import { createRegistryClient } from './registry';
import { backoff, interruptibleSleep } from './sleep';
import { OUTBOX_TABLE } from './tables';
import { encodeWire } from './wire';

export interface RelayOptions {
  service: string;
  db: Knex;
  kafka: Kafka;
  registryUrl: string;
  catalogue: EventCatalogue;
  logger: Logger;
  metrics: Metrics;
  /** Rows per claim and per produce request. */
  batchSize?: number;
  /** Longest pause between polls when the outbox is empty; a non-empty poll is followed at once. */
  maxIdleMs?: number;
  /** How often a standby tries to take the lock. */
  lockRetryMs?: number;
  /** Backoff between failed batches (Kafka, registry or database down): from min, doubling, up to max. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
  pruneIntervalMs?: number;
  /** Test-only: runs after the broker acknowledged a batch and before the rows are marked published. */
  afterProduce?: (eventIds: string[]) => void | Promise<void>;
}

export interface Relay {
  stop(): Promise<void>;
  /** True while this relay holds the service's lock and publishes. */
  readonly isActive: boolean;
}

interface OutboxRow {
  id: string;
  event_id: string;
  event_type: string;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
  created_at: Date;
}

type PgConnection = unknown;

class StageError extends Error {
  constructor(readonly stage: 'registry' | 'kafka' | 'database', cause: unknown) {
    super(`${stage}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * Publishes the service's outbox to Kafka. One relay per service is active: it holds a Postgres
 * advisory lock on a session of its own, and runs its outbox queries on that same session, so
 * losing the session loses the lock and stops its queries together. Standbys retry the lock.
 */
export function startRelay(options: RelayOptions): Relay {
  const {
    service, db, kafka, catalogue, logger: parentLogger, batchSize = 500, maxIdleMs = 50, lockRetryMs = 1000,
    retryMinMs = 100, retryMaxMs = 5000, retentionMs = 3 * 24 * 3600_000, pruneIntervalMs = 60_000,
  } = options;
  const logger = parentLogger.child({ component: 'relay' });
  const metrics = eventMetrics(options.metrics.registry);
  const registry = createRegistryClient(options.registryUrl);
  const pause = interruptibleSleep();
  const lockKey = `tulity-relay:${service}`;
  let stopping = false;
  let lock: PgConnection | undefined;
  let producer: Producer | undefined;
  let lastPrune = 0;

  const probe: OutboxProbe = async () => {
    const result = await db.raw(
      `select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float as age
       from ${OUTBOX_TABLE} where published_at is null`,
    );
    const row = result.rows[0];
    return { pending: row.pending, oldestAgeSeconds: row.age };
  };
  metrics.outboxProbes.add(probe);

  async function tryLock(): Promise<boolean> {
    let connection: PgConnection;
    try {
      connection = await db.client.acquireConnection();
    } catch (error) {
      logger.warn({ err: error }, 'relay cannot reach the database');
      return false;
    }
    try {
      const result = await db.raw('select pg_try_advisory_lock(hashtext(?)) as locked', [lockKey]).connection(connection);
      if (result.rows[0]?.locked === true) {
        // Only this session marks rows published. Losing a mark in a database crash merely
        // re-sends those rows (the inbox skips them), so the mark need not wait for the WAL flush.
        await db.raw('set synchronous_commit = off').connection(connection);
        lock = connection;
        return true;
      }
    } catch (error) {
      logger.warn({ err: error }, 'relay lock attempt failed');
      discard(connection);
    }
    await db.client.releaseConnection(connection);
    return false;
  }

  /** Marks a connection the way knex marks one that errored, so the pool closes it instead of reusing it. */
  function discard(connection: PgConnection) {
    (connection as { __knex__disposed?: string }).__knex__disposed = 'relay lock session failed';
  }

  async function releaseLock(): Promise<void> {
    const connection = lock;
    lock = undefined;
    metrics.relayActive.set({ service }, 0);
    if (!connection) return;
    try {
      await db.raw('select pg_advisory_unlock(hashtext(?))', [lockKey]).connection(connection);
      await db.raw('reset synchronous_commit').connection(connection);
      await db.client.releaseConnection(connection);
    } catch {
      // A broken session already lost its lock; closing it makes sure of that.
      discard(connection);
      await db.client.releaseConnection(connection);
    }
  }

  async function connectedProducer(): Promise<Producer> {
    if (!producer) {
      const fresh = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
      await fresh.connect();
      producer = fresh;
    }
    return producer;
  }

  async function dropProducer(): Promise<void> {
    const old = producer;
    producer = undefined;
    // A new producer gets a new producer id: no sequence numbers left over from a failed send.
    await old?.disconnect().catch(() => {});
  }

  /**
   * Marks the acknowledged rows published and claims the next unpublished ones, in one statement:
   * one database round trip per cycle. Unpublished rows in id order, every time, never "after the
   * last id seen": a transaction that commits late still has its rows found.
   */
  async function markAndClaim(acknowledged: string[]): Promise<OutboxRow[]> {
    try {
      // The select sees the rows as they were before the update, hence the explicit exclusion.
      const result = await db.raw(
        `with marked as (
           update ${OUTBOX_TABLE} set published_at = now(), attempts = attempts + 1, last_error = null
           where id = any(?::bigint[]) returning id
         )
         select id, event_id, event_type, topic, key, payload, correlation_id, created_at
         from ${OUTBOX_TABLE} where published_at is null and not (id = any(?::bigint[]))
         order by id limit ?`, [acknowledged, acknowledged, batchSize],
      ).connection(lock);
      return result.rows as OutboxRow[];
    } catch (error) {
      throw new StageError('database', error);
    }
  }

  async function encode(rows: OutboxRow[]): Promise<Map<string, Message[]>> {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const definition = definitionOf(catalogue, row.event_type);
      let schemaId: number;
      try {
        schemaId = await registry.idOf(definition.subject, definition.schema);
      } catch (error) {
        throw new StageError('registry', error);
      }
      const value = encodeWire(schemaId, avroType(definition.schema).toBuffer(row.payload));
      const headers: Record<string, string> = { 'event-type': row.event_type, 'event-id': row.event_id };
      if (row.correlation_id) headers['correlation-id'] = row.correlation_id;
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.key, value, headers });
      byTopic.set(row.topic, messages);
    }
    return byTopic;
  }

  /** Rows claimed by the last mark, to send next; cleared by any failure so the next cycle re-claims. */
  let claimed: OutboxRow[] | undefined;

  async function publishBatch(): Promise<number> {
    const rows = claimed ?? await markAndClaim([]);
    claimed = undefined;
    if (rows.length === 0) return 0;
    try {
      const byTopic = await encode(rows);
      try {
        const sender = await connectedProducer();
        await sender.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      } catch (error) {
        await dropProducer();
        throw new StageError('kafka', error);
      }
    } catch (error) {
      await db(OUTBOX_TABLE).whereIn('id', rows.map((row) => row.id))
        .update({ attempts: db.raw('attempts + 1'), last_error: String((error as Error).message).slice(0, 2000) })
        .catch(() => {});
      throw error;
    }
    await options.afterProduce?.(rows.map((row) => row.event_id));
    // Marked only now that the broker acknowledged: a crash before this line re-sends, never loses.
    claimed = await markAndClaim(rows.map((row) => row.id));
    const now = Date.now();
    for (const row of rows) {
      metrics.relayPublished.inc({ topic: row.topic, type: row.event_type });
      metrics.relayPublishLatency.observe({ topic: row.topic }, (now - new Date(row.created_at).getTime()) / 1000);
    }
    return rows.length;
  }

  async function prune(): Promise<void> {
    if (Date.now() - lastPrune < pruneIntervalMs) return;
    lastPrune = Date.now();
    try {
      const deleted = await db(OUTBOX_TABLE).whereNotNull('published_at')
        .where('published_at', '<', new Date(Date.now() - retentionMs)).delete();
      if (deleted > 0) logger.info({ deleted }, 'pruned published outbox rows');
    } catch (error) {
      logger.warn({ err: error }, 'outbox prune failed');
    }
  }

  async function loop(): Promise<void> {
    let failures = 0;
    let idle = 0;
    while (!stopping) {
      if (!lock) {
        if (!(await tryLock())) {
          await pause.sleep(lockRetryMs);
          continue;
        }
        metrics.relayActive.set({ service }, 1);
        logger.info({ service }, 'relay active');
      }
      try {
        const published = await publishBatch();
        if (failures > 0) logger.info({ failures }, 'relay recovered');
        failures = 0;
        // Adaptive polling: straight back while rows keep coming, then slowing up to maxIdleMs.
        idle = published > 0 ? 0 : Math.min(maxIdleMs, Math.max(1, idle * 2));
        await prune();
        await pause.sleep(idle);
      } catch (error) {
        failures += 1;
        const stage = error instanceof StageError ? error.stage : 'encode';
        metrics.relayFailures.inc({ stage });
        logger.warn({ err: error, failures }, 'relay batch failed; retrying');
        if (stage === 'database') await releaseLock();
        await pause.sleep(backoff(failures, retryMinMs, retryMaxMs));
      }
    }
  }

  const running = loop().catch((error) => logger.error({ err: error }, 'relay loop crashed'));

  return {
    get isActive() {
      return lock !== undefined;
    },
    async stop() {
      stopping = true;
      pause.wake();
      await running;
      metrics.outboxProbes.delete(probe);
      await dropProducer();
      await releaseLock();
    },
  };
}
