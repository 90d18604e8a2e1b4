import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the outbox gauges read at scrape time; the relay adds one for its database. */
export type OutboxProbe = () => Promise<{ pending: number; oldestAgeSeconds: number }>;

/** The backbone's metrics; one set per prom-client registry (see `eventMetrics`). */
export interface EventMetrics {
  outboxProbes: Set<OutboxProbe>;
  relayActive: Gauge<'service'>;
  relayPublished: Counter<'topic' | 'type'>;
  relayFailures: Counter<'stage'>;
  relayPublishLatency: Histogram<'topic'>;
  consumerProcessed: Counter<'group' | 'type'>;
  consumerDuplicates: Counter<'group' | 'type'>;
  consumerFailures: Counter<'group' | 'type'>;
  consumerDeadLettered: Counter<'group' | 'topic' | 'reason'>;
  consumerRestarts: Counter<'group'>;
  endToEnd: Histogram<'group' | 'type'>;
  consumerLag: Gauge<'group' | 'topic' | 'partition'>;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const byRegistry = new WeakMap<Registry, EventMetrics>();

/** The backbone's metrics in `registry`, created on first use so a relay and consumers can share them. */
export function eventMetrics(registry: Registry): EventMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const outboxProbes = new Set<OutboxProbe>();
  // Both outbox gauges come from one query per probe, run when Prometheus scrapes.
  let reading: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
  const readOutbox = () => {
    reading ??= (async () => {
      const total = { pending: 0, oldestAgeSeconds: 0 };
      for (const probe of outboxProbes) {
        const { pending, oldestAgeSeconds } = await probe();
        total.pending += pending;
        total.oldestAgeSeconds = Math.max(total.oldestAgeSeconds, oldestAgeSeconds);
      }
      return total;
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const metrics: EventMetrics = {
    outboxProbes,
    relayActive: new Gauge({
      name: 'relay_active',
      help: '1 while this process holds the relay lock.',
      labelNames: ['service'],
      registers,
    }),
    relayPublished: new Counter({
      name: 'relay_published_total',
      help: 'Outbox events the broker acknowledged.',
      labelNames: ['topic', 'type'],
      registers,
    }),
    relayFailures: new Counter({
      name: 'relay_failures_total',
      help: 'Relay batches that failed, by the stage that failed (database, registry, encode, kafka).',
      labelNames: ['stage'],
      registers,
    }),
    relayPublishLatency: new Histogram({
      name: 'relay_publish_latency_seconds',
      help: 'From outbox write to broker acknowledgement.',
      labelNames: ['topic'],
      buckets: latencyBuckets,
      registers,
    }),
    consumerProcessed: new Counter({
      name: 'consumer_processed_total',
      help: 'Events applied (inbox row and effect committed).',
      labelNames: ['group', 'type'],
      registers,
    }),
    consumerDuplicates: new Counter({
      name: 'consumer_duplicates_total',
      help: 'Events skipped because the inbox already held their id.',
      labelNames: ['group', 'type'],
      registers,
    }),
    consumerFailures: new Counter({
      name: 'consumer_failures_total',
      help: 'Attempts to apply one event that failed and will be retried (a failed run of events is retried one by one, not counted here).',
      labelNames: ['group', 'type'],
      registers,
    }),
    consumerDeadLettered: new Counter({
      name: 'consumer_dead_lettered_total',
      help: 'Messages sent to the dead-letter topic, by reason.',
      labelNames: ['group', 'topic', 'reason'],
      registers,
    }),
    consumerRestarts: new Counter({
      name: 'consumer_restarts_total',
      help: 'Times the consumer crashed after it had started and was restarted.',
      labelNames: ['group'],
      registers,
    }),
    endToEnd: new Histogram({
      name: 'event_end_to_end_seconds',
      help: 'From the event occurring to its effect being committed by a consumer.',
      labelNames: ['group', 'type'],
      buckets: latencyBuckets,
      registers,
    }),
    consumerLag: new Gauge({
      name: 'consumer_lag',
      help: 'End offset minus committed offset.',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    }),
  };
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Outbox rows not yet published.',
    registers,
    async collect() {
      if (outboxProbes.size > 0) this.set((await readOutbox()).pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none).',
    registers,
    async collect() {
      if (outboxProbes.size > 0) this.set((await readOutbox()).oldestAgeSeconds);
    },
  });
  byRegistry.set(registry, metrics);
  return metrics;
}
