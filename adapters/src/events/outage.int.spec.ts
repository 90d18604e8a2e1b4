import { afterAll, beforeAll, beforeEach, describe, test, expect } from '@jest/globals';
import { assertTestDatabase, createDatabase } from '../postgres/database';
import { createKafka } from '../kafka/client';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { createOutbox } from './outbox';
import { startRelay } from './relay';
import { startConsumer } from './consumer';
import { INBOX_TABLE, OUTBOX_TABLE } from './tables';
import {
  EFFECTS_TABLE,
  itemPayload,
  itemRecorded,
  recordEffect,
  registerSubject,
  resetTables,
  testDatabaseUrl,
  unique,
  waitFor,
  waitForSettled,
} from '../testing/events';
import { privateKafka, privateRegistry, type PrivateServer } from '../testing/private-stack';

// These tests stop the broker and the registry, so they run their own on 19092 and 18081.
assertTestDatabase(testDatabaseUrl);
const db = createDatabase(testDatabaseUrl);
const logger = createLogger('outage-test');
let broker: PrivateServer;
let registry: ReturnType<typeof privateRegistry>;

const failures = async (metrics: ReturnType<typeof createMetrics>, stage: string) =>
  ((await metrics.registry.getSingleMetric('relay_failures_total')?.get())?.values ?? [])
    .filter((v) => v.labels.stage === stage)
    .reduce((sum, v) => sum + v.value, 0);

async function setUp(definitions: Array<ReturnType<typeof itemRecorded>>) {
  const catalogue = Object.fromEntries(definitions.map((d) => [d.type, d]));
  for (const d of definitions) await registerSubject(registry.url, d.subject, d.schema);
  const kafka = createKafka([broker.address], unique('outage'), {
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2000 },
  });
  const groupId = unique('g-outage');
  const relayMetrics = createMetrics('relay');
  const relay = startRelay({
    service: unique('svc'),
    db,
    kafka,
    registryUrl: registry.url,
    catalogue,
    logger,
    metrics: relayMetrics,
    retryMaxMs: 1000,
  });
  const consumerMetrics = createMetrics(groupId);
  const consumer = await startConsumer({
    groupId,
    db,
    kafka,
    registryUrl: registry.url,
    catalogue,
    logger,
    metrics: consumerMetrics,
    fromBeginning: true,
    retryMinMs: 50,
    retryMaxMs: 1000,
    handlers: Object.fromEntries(
      definitions.map((d) => [d.type, (event: any, trx: any) => recordEffect(groupId, event, trx)]),
    ),
  });
  const outbox = createOutbox(catalogue);
  const commit = async (type: string, key: string, seq: number) => {
    const payload = itemPayload(key, seq);
    await db.transaction((trx) => outbox.write(trx, [{ type, key, payload }]));
    return payload.eventId;
  };
  const applied = async () =>
    (await db(EFFECTS_TABLE).where({ group_id: groupId }).orderBy('id')).map((row) => row.event_id as string);
  const stop = async () => {
    await consumer.stop();
    await relay.stop();
  };
  const settled = (topic: string) => waitForSettled(db, kafka, topic, consumerMetrics.registry, 180_000);
  return { relayMetrics, commit, applied, settled, stop };
}

describe('event backbone through broker and registry outages', () => {
  beforeAll(async () => {
    broker = privateKafka();
    registry = privateRegistry();
    await Promise.all([broker.start(), registry.start(), resetTables(db)]);
  });
  beforeEach(async () => {
    await db.raw(`truncate ${OUTBOX_TABLE}, ${INBOX_TABLE}, ${EFFECTS_TABLE} restart identity`);
  });
  afterAll(async () => {
    await Promise.all([broker?.destroy(), registry?.destroy()]);
    await db.destroy();
  });

  test('with the broker stopped, writes keep succeeding; after its restart every event arrives once', async () => {
    const definition = itemRecorded(unique('outage.broker'));
    const s = await setUp([definition]);
    try {
      const sent: string[] = [];
      for (let seq = 0; seq < 20; seq++) sent.push(await s.commit(definition.type, `k${seq % 4}`, seq));
      await waitFor('the first events applied', async () => (await s.applied()).length === 20);

      await broker.stop();
      for (let seq = 20; seq < 70; seq++) sent.push(await s.commit(definition.type, `k${seq % 4}`, seq));
      await waitFor(
        'the relay to notice the broker is gone',
        async () => (await failures(s.relayMetrics, 'kafka')) > 0,
        120_000,
      );
      const pending = await db(OUTBOX_TABLE).whereNull('published_at').count<{ count: string }[]>('* as count');
      // The writes made while the broker was down wait in the outbox.
      expect(Number(pending[0]!.count)).toBe(50);
      const gauge = async (name: string) =>
        (await s.relayMetrics.registry.getSingleMetric(name)!.get()).values[0]?.value;
      expect(await gauge('outbox_pending_events')).toBe(50);
      expect((await gauge('outbox_oldest_pending_age_seconds'))!).toBeGreaterThan(0);

      await broker.start();
      await s.settled(definition.topic);
      const applied = await s.applied();
      // Nothing applied twice.
      expect(applied.length).toBe(70);
      // Nothing lost.
      expect([...applied].sort()).toEqual([...sent].sort());
    } finally {
      await s.stop();
    }
  });

  test('with the registry stopped, the relay stalls on an uncached schema and resumes after its restart, losing nothing', async () => {
    const topic = unique('outage.registry');
    const cached = itemRecorded(topic, 'ItemRecorded');
    const uncached = itemRecorded(topic, 'ItemRemoved');
    const s = await setUp([cached, uncached]);
    try {
      const sent: string[] = [];
      for (let seq = 0; seq < 10; seq++) sent.push(await s.commit(cached.type, 'k', seq));
      await waitFor('the first events applied', async () => (await s.applied()).length === 10);

      await registry.stop();
      for (let seq = 10; seq < 30; seq++)
        sent.push(await s.commit(seq % 2 === 0 ? cached.type : uncached.type, 'k', seq));
      await waitFor('the relay to stall on the registry', async () => (await failures(s.relayMetrics, 'registry')) > 0);
      const stalled = await db(OUTBOX_TABLE).whereNull('published_at').orderBy('id').select('id', 'event_type');
      // No uncached event got out.
      expect(stalled.filter((row) => row.event_type === uncached.type).length).toBe(10);
      const [lastPublished] = await db(OUTBOX_TABLE).whereNotNull('published_at').max('id as id');
      // Nothing after the stall point was published: per-key order kept.
      expect(Number(lastPublished!.id)).toBeLessThan(Number(stalled[0]!.id));

      await registry.start();
      await s.settled(topic);
      const applied = await s.applied();
      // Nothing lost, nothing twice, one key in order.
      expect(applied).toEqual(sent);
    } finally {
      await s.stop();
    }
  });
});
