import type { Knex } from 'knex';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { startLoop } from '../loop';
import type { Metrics } from '../metrics';
import type { EventCatalogue } from './catalogue';
import { eventMetrics, type OutboxProbe } from './metrics';
import { onOutboxCommitted } from './outbox';
import { createRegistryClient } from './registry';
import { OUTBOX_TABLE } from './tables';
import { markAndClaim, markFailed } from './relay/claim';
import { relayLock } from './relay/lock';
import { outboxPruner } from './relay/prune';
import { createSender } from './relay/send';
import { StageError } from './relay/stage';
import { publishPipeline } from './relay/pipeline';

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
  /**
   * Longest pause between polls when the outbox is empty; a non-empty poll is followed at once, and
   * a commit in this process that wrote events ends the pause (outbox.ts, `outboxWritten`).
   */
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

/**
 * Publishes the service's outbox to Kafka. One relay per service is active: it holds a Postgres
 * advisory lock (./relay/lock.ts) and claims, sends and marks rows on the lock's session.
 * Standbys retry the lock.
 */
export function startRelay(options: RelayOptions): Relay {
  const {
    service,
    db,
    kafka,
    catalogue,
    batchSize = 500,
    maxIdleMs = 50,
    lockRetryMs = 1000,
    retryMinMs = 100,
    retryMaxMs = 5000,
    retentionMs = 3 * 24 * 3600_000,
    pruneIntervalMs = 60_000,
  } = options;
  const logger = options.logger.child({ component: 'relay' });
  const metrics = eventMetrics(options.metrics.registry);
  const lock = relayLock(db, service, logger);
  const sender = createSender(kafka, createRegistryClient(options.registryUrl), catalogue);
  const prune = outboxPruner(db, logger, retentionMs, pruneIntervalMs);
  const probe = outboxProbe(db);
  metrics.outboxProbes.add(probe);

  const releaseLock = async () => {
    metrics.relayActive.set({ service }, 0);
    await lock.release();
  };

  const pipeline = publishPipeline(
    {
      markAndClaim: (acknowledged, inFlight, limit) => markAndClaim(db, lock.session, acknowledged, inFlight, limit),
      encode: (rows) => sender.encode(rows),
      async produce({ rows, topicMessages }) {
        await sender.produce(topicMessages);
        await options.afterProduce?.(rows.map((row) => row.event_id));
      },
      failed: (rows, error) => markFailed(db, rows, error),
    },
    batchSize,
  );

  async function publish(): Promise<number> {
    const rows = await pipeline.cycle();
    const now = Date.now();
    // Counted once per topic and type, not per row: prom-client checks and hashes labels on every call.
    const published = new Map<string, { topic: string; type: string; count: number }>();
    for (const row of rows) {
      const key = `${row.topic}\n${row.event_type}`;
      const seen = published.get(key);
      if (seen) seen.count++;
      else published.set(key, { topic: row.topic, type: row.event_type, count: 1 });
      metrics.relayPublishLatency.observe({ topic: row.topic }, (now - row.created_ms) / 1000);
    }
    for (const { topic, type, count } of published.values()) metrics.relayPublished.inc({ topic, type }, count);
    return rows.length;
  }

  const loop = startLoop({
    logger,
    retryMinMs,
    retryMaxMs,
    async step() {
      if (!lock.session) {
        if (!(await lock.acquire())) return lockRetryMs;
        metrics.relayActive.set({ service }, 1);
        logger.info({ service }, 'relay active');
      }
      const published = await publish();
      await prune();
      // Straight back while rows keep coming (the next statement also marks these); once none
      // come, this process's commits wake the relay, and the poll is for other processes' rows.
      return published > 0 ? 0 : maxIdleMs;
    },
    async failed(error, failures) {
      const stage = error instanceof StageError ? error.stage : 'encode';
      metrics.relayFailures.inc({ stage });
      logger.warn({ err: error, failures }, 'relay batch failed; retrying');
      // The lock's session may be the broken part: let go, and take the lock again on a fresh one.
      if (stage === 'database') await releaseLock();
    },
    recovered: (failures) => logger.info({ failures }, 'relay recovered'),
  });

  // A standby stays on its lock retries: only the active relay has rows to look for.
  const unsubscribe = onOutboxCommitted(() => {
    if (lock.session) loop.wake();
  });

  return {
    get isActive() {
      return lock.session !== undefined;
    },
    async stop() {
      unsubscribe();
      await loop.stop();
      // Best effort: what stays unmarked is sent again by the next relay, and the inbox skips it.
      if (lock.session) await pipeline.flush().catch(() => {});
      metrics.outboxProbes.delete(probe);
      await sender.close();
      await releaseLock();
    },
  };
}

/** The pending-rows gauges' query, run when Prometheus scrapes. */
function outboxProbe(db: Knex): OutboxProbe {
  return async () => {
    const result = await db.raw(
      `select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float as age
       from ${OUTBOX_TABLE} where published_at is null`,
    );
    const row = result.rows[0];
    return { pending: row.pending, oldestAgeSeconds: row.age };
  };
}
