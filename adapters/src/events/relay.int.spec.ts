// The relay's pipeline (relay/pipeline.ts) against the real Postgres and broker: a send that the
// broker refuses in the middle of a backlog, while the next batch is already claimed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ConfigResourceTypes } from 'kafkajs';
import { assertTestDatabase, createDatabase } from '../postgres/database';
import { createKafka } from '../kafka/client';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { createOutbox } from './outbox';
import { startRelay } from './relay';
import { OUTBOX_TABLE } from './tables';
import {
  itemPayload,
  itemRecorded,
  registerSubject,
  resetTables,
  sharedBrokers,
  sharedRegistryUrl,
  testDatabaseUrl,
  unique,
  waitFor,
} from '../testing/events';
import { readTopic } from '../testing/topic-reader';

assertTestDatabase(testDatabaseUrl);
const db = createDatabase(testDatabaseUrl);
const kafka = createKafka(sharedBrokers, 'relay-test');
const logger = createLogger('relay-test');
const admin = kafka.admin();

/** The broker refuses any record batch larger than this on the test's topic (MESSAGE_TOO_LARGE, not retriable). */
const smallLimit = 4000;

async function setMaxMessageBytes(topic: string, bytes: number) {
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [{ name: 'max.message.bytes', value: String(bytes) }],
      },
    ],
  });
}

/** Everything on the topic now, decoded: the number of messages is read from its offsets first. */
async function onTopic(topic: string) {
  const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const messages = total === 0 ? [] : await readTopic(kafka, topic, total, sharedRegistryUrl);
  return messages.map(({ partition, message, decoded }) => ({
    partition,
    offset: Number(message.offset),
    eventId: decoded.eventId as string,
    key: decoded.aggregateId as string,
    seq: decoded.seq as number,
  }));
}

/** Per key, the sequence numbers of the first copy of each event, in log order (later copies are re-sends the inbox drops). */
function firstCopiesPerKey(messages: Awaited<ReturnType<typeof onTopic>>) {
  const seen = new Set<string>();
  const perKey = new Map<string, number[]>();
  for (const m of [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    if (seen.has(m.eventId)) continue;
    seen.add(m.eventId);
    perKey.set(m.key, [...(perKey.get(m.key) ?? []), m.seq]);
  }
  return perKey;
}

describe('the relay pipeline against the real Postgres and broker', () => {
  beforeAll(async () => {
    await resetTables(db);
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await db.destroy();
  });

  test('a batch the broker refuses mid-pipeline holds back every later one: nothing marked before its ack, per-key order kept, nothing lost', async () => {
    const topic = unique('test.pipeline');
    const definition = itemRecorded(topic);
    const catalogue = { [definition.type]: definition };
    await registerSubject(sharedRegistryUrl, definition.subject, definition.schema);
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'max.message.bytes', value: String(smallLimit) }] }],
      waitForLeaders: true,
    });
    const outbox = createOutbox(catalogue);
    const keys = ['k0', 'k1', 'k2', 'k3'];
    const rounds = 12;
    // One event, in the middle of the backlog, too large for the topic until its limit is raised.
    const oversized = { key: 'k1', seq: 5 };
    const sent: string[] = [];
    for (let seq = 0; seq < rounds; seq++) {
      for (const key of keys) {
        const plain = itemPayload(key, seq);
        const payload =
          key === oversized.key && seq === oversized.seq ? { ...plain, correlationId: 'x'.repeat(smallLimit) } : plain;
        await db.transaction((trx) => outbox.write(trx, [{ type: definition.type, key, payload }]));
        sent.push(payload.eventId);
      }
    }
    const [{ id: oversizedId }] = await db(OUTBOX_TABLE)
      .whereRaw(`payload->>'aggregateId' = ? and (payload->>'seq')::int = ?`, [oversized.key, oversized.seq])
      .select('id');

    const metrics = createMetrics('relay-pipeline');
    // Small batches, so the backlog is many batches and the next one is claimed while the refused one is sent.
    const relay = startRelay({
      service: unique('svc'),
      db,
      kafka,
      registryUrl: sharedRegistryUrl,
      catalogue,
      logger,
      metrics,
      batchSize: 5,
      retryMinMs: 50,
      retryMaxMs: 200,
    });
    try {
      // A relay that marked the refused rows anyway would drain the outbox instead: then the checks below name the loss.
      await waitFor('the refused batch retried (or the outbox drained)', async () => {
        const kafkaFailures = (await metrics.registry.getSingleMetric('relay_failures_total')!.get()).values
          .filter((v) => v.labels.stage === 'kafka')
          .reduce((sum, v) => sum + v.value, 0);
        return kafkaFailures >= 3 || (await db(OUTBOX_TABLE).whereNull('published_at').first()) === undefined;
      });
      const stalled = await onTopic(topic);
      const marked = await db(OUTBOX_TABLE).whereNotNull('published_at').select('id', 'event_id');
      // Marks never run ahead of acks: every row marked published is on the topic.
      const landed = new Set(stalled.map((m) => m.eventId));
      expect(marked.filter((row) => !landed.has(row.event_id))).toEqual([]);
      // Nothing from the oversized event on is marked, and the rows before it are.
      expect(marked.every((row) => Number(row.id) < Number(oversizedId))).toBeTruthy();
      expect(marked.length).toBeGreaterThan(0);
      // No later event of the blocked key got past it.
      expect(stalled.filter((m) => m.key === oversized.key && m.seq > oversized.seq)).toEqual([]);

      await setMaxMessageBytes(topic, 1_000_000);
      await waitFor(
        'every row published',
        async () => (await db(OUTBOX_TABLE).whereNull('published_at').first()) === undefined,
      );
      const all = await onTopic(topic);
      // Nothing lost.
      expect(new Set(all.map((m) => m.eventId))).toEqual(new Set(sent));
      // Per-key order: the first copy of each event arrives in the order written.
      const perKey = firstCopiesPerKey(all);
      for (const key of keys) {
        expect({ key, seqs: perKey.get(key) }).toEqual({ key, seqs: Array.from({ length: rounds }, (_, i) => i) });
      }
    } finally {
      await relay.stop();
    }
  });
});
