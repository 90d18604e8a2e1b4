import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from '@jest/globals';
import { assertTestDatabase, createDatabase } from '../postgres/database';
import { createKafka } from '../kafka/client';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { createOutbox } from './outbox';
import { startRelay } from './relay';
import { PermanentEventError, startConsumer } from './consumer';
import { replayDeadLetters } from './replay';
import { deadLetterTopic } from './dead-letters';
import { encodeWire } from './wire';
import { INBOX_TABLE, OUTBOX_TABLE } from './tables';
import {
  counterTotal, EFFECTS_TABLE, itemPayload, itemRecorded, recordEffect, registerSubject, resetTables,
  sharedBrokers, sharedRegistryUrl, testDatabaseUrl, unique, waitFor, waitForSettled,
} from '../testing/events';
import { readTopic } from '../testing/topic-reader';
import { spawnEventProcess } from '../testing/children';

assertTestDatabase(testDatabaseUrl);
const db = createDatabase(testDatabaseUrl);
const kafka = createKafka(sharedBrokers, 'backbone-test');
const logger = createLogger('backbone-test');

/** A fresh topic, its event type registered, and helpers that count what happened to it. */
async function scenario(name: string) {
  const topic = unique(`test.${name}`);
  const definition = itemRecorded(topic);
  const catalogue = { [definition.type]: definition };
  await registerSubject(sharedRegistryUrl, definition.subject, definition.schema);
  const outbox = createOutbox(catalogue);
  const write = (key: string, seq: number) => {
    const payload = itemPayload(key, seq);
    return { event: { type: definition.type, key, payload }, id: payload.eventId };
  };
  /** Commits each event in a transaction of its own; returns the event ids. */
  const commit = async (events: Array<[key: string, seq: number]>) => {
    const ids: string[] = [];
    for (const [key, seq] of events) {
      const { event, id } = write(key, seq);
      await db.transaction((trx) => outbox.write(trx, [event]));
      ids.push(id);
    }
    return ids;
  };
  const effects = (groupId: string) => db(EFFECTS_TABLE).where({ group_id: groupId }).orderBy('id');
  return { topic, definition, catalogue, outbox, write, commit, effects };
}

function consumerOptions(catalogue: Record<string, ReturnType<typeof itemRecorded>>, groupId: string, metrics = createMetrics(groupId)) {
  const [type] = Object.keys(catalogue);
  return {
    groupId, db, kafka, registryUrl: sharedRegistryUrl, catalogue, logger, metrics, fromBeginning: true,
    retryMinMs: 50, retryMaxMs: 500,
    handlers: { [type!]: (event: any, trx: any) => recordEffect(groupId, event, trx) },
  };
}

const relayOptions = (service: string, catalogue: Record<string, ReturnType<typeof itemRecorded>>) => ({
  service, db, kafka, registryUrl: sharedRegistryUrl, catalogue, logger, metrics: createMetrics(service),
  lockRetryMs: 200, retryMaxMs: 1000,
});

const counter = (metrics: ReturnType<typeof createMetrics>, name: string) => counterTotal(metrics.registry, name);

describe('event backbone against the real Postgres, Kafka and registry', () => {
  beforeAll(async () => {
    await resetTables(db);
  });
  beforeEach(async () => {
    await db.raw(`truncate ${OUTBOX_TABLE}, ${INBOX_TABLE}, ${EFFECTS_TABLE} restart identity`);
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('a rolled-back transaction produces no event; committed ones are applied once and decode with an independent client', async () => {
    const s = await scenario('commit');
    const groupId = unique('g-commit');
    const relayMetrics = createMetrics('relay');
    const consumerMetrics = createMetrics(groupId);
    const relay = startRelay({ ...relayOptions(unique('svc'), s.catalogue), metrics: relayMetrics });
    const consumer = await startConsumer({ ...consumerOptions(s.catalogue, groupId, consumerMetrics), lagIntervalMs: 200 });
    try {
      const rolledBack = s.write('k0', 0);
      await assert.rejects(db.transaction(async (trx) => {
        await s.outbox.write(trx, [rolledBack.event]);
        throw new Error('use case failed after writing its event');
      }), /use case failed/);
      const sent = await s.commit(Array.from({ length: 30 }, (_, i) => [`k${i % 3}`, i]));

      await waitFor('30 effects', async () => (await s.effects(groupId)).length >= 30);
      const messages = await readTopic(kafka, s.topic, 30, sharedRegistryUrl);

      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      assert.deepEqual([...applied].sort(), [...sent].sort());
      const onTopic = messages.map((m) => m.decoded.eventId);
      assert.deepEqual([...onTopic].sort(), [...sent].sort());
      assert.ok(!onTopic.includes(rolledBack.id) && !applied.includes(rolledBack.id));
      assert.equal((await db(OUTBOX_TABLE).where({ event_id: rolledBack.id })).length, 0);
      assert.ok(messages.every((m) => m.message.value![0] === 0), 'Confluent wire format: magic byte 0');

      assert.equal(await counter(relayMetrics, 'relay_published_total'), 30);
      assert.equal(await counter(consumerMetrics, 'consumer_processed_total'), 30);
      const endToEnd = (await consumerMetrics.registry.getSingleMetric('event_end_to_end_seconds')!.get()).values as Array<{ metricName?: string; value: number }>;
      assert.equal(endToEnd.find((v) => v.metricName === 'event_end_to_end_seconds_count')?.value, 30);
      const lag = await waitFor('the lag gauge to show every partition caught up', async () => {
        const values = (await consumerMetrics.registry.getSingleMetric('consumer_lag')!.get()).values.filter((v) => v.labels.topic === s.topic);
        return values.length > 0 && values.every((v) => v.value === 0) ? values : undefined;
      });
      assert.ok(lag!.every((v) => v.labels.group === groupId));
      const pending = (await relayMetrics.registry.getSingleMetric('outbox_pending_events')!.get()).values;
      assert.equal(pending[0]?.value, 0);
    } finally {
      await consumer.stop();
      await relay.stop();
    }
  });

  test('a transaction that commits after later ids were published is still published', async () => {
    const s = await scenario('late');
    const groupId = unique('g-late');
    const relay = startRelay(relayOptions(unique('svc'), s.catalogue));
    const consumer = await startConsumer(consumerOptions(s.catalogue, groupId));
    try {
      const slow = await db.transaction();
      const late = s.write('late', 1);
      await s.outbox.write(slow, [late.event]);
      const early = await s.commit([['a', 1], ['b', 1], ['c', 1]]);
      await waitFor('the later ids published', async () =>
        (await db(OUTBOX_TABLE).whereIn('event_id', early).whereNotNull('published_at')).length === 3);
      await slow.commit();

      await waitFor('the late event applied', async () => (await s.effects(groupId)).length >= 4);
      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      assert.deepEqual([...applied].sort(), [...early, late.id].sort());
      const [lateOutbox] = await db(OUTBOX_TABLE).where({ event_id: late.id });
      assert.ok(Number(lateOutbox.id) < Number((await db(OUTBOX_TABLE).whereIn('event_id', early).max('id as id'))[0]!.id),
        'the late transaction holds a lower id than rows published before it');
    } finally {
      await consumer.stop();
      await relay.stop();
    }
  });

  test('published rows are deleted once older than the retention', async () => {
    const s = await scenario('prune');
    const relay = startRelay({ ...relayOptions(unique('svc'), s.catalogue), retentionMs: 300, pruneIntervalMs: 50 });
    try {
      const [id] = await s.commit([['k', 1]]);
      await waitFor('the event published', async () => (await db(OUTBOX_TABLE).where({ event_id: id }).whereNotNull('published_at')).length === 1);
      await waitFor('the published row pruned', async () => (await db(OUTBOX_TABLE).where({ event_id: id })).length === 0);
    } finally {
      await relay.stop();
    }
  });

  test('a relay whose database session is killed takes the lock again and goes on publishing', async () => {
    const s = await scenario('session');
    const service = unique('svc');
    const metrics = createMetrics(service);
    const relay = startRelay({ ...relayOptions(service, s.catalogue), metrics });
    try {
      const before = await s.commit([['k', 1], ['k', 2]]);
      await waitFor('the first events published', async () => (await db(OUTBOX_TABLE).whereNull('published_at')).length === 0);
      const killed = await db.raw(
        `select pg_terminate_backend(pid) as done from pg_locks
         where locktype = 'advisory' and granted and objid = hashtext(?)::oid`, [`tulity-relay:${service}`]);
      assert.equal(killed.rows.length, 1, 'exactly one session held the relay lock');

      const after = await s.commit([['k', 3], ['k', 4]]);
      await waitFor('the later events published', async () => (await db(OUTBOX_TABLE).whereNull('published_at')).length === 0);
      assert.ok(relay.isActive);
      assert.ok(await counter(metrics, 'relay_failures_total') >= 1, 'the broken session was noticed');
      assert.equal(await counter(metrics, 'relay_published_total'), before.length + after.length);
    } finally {
      await relay.stop();
    }
  });

  test('a relay SIGKILLed between produce and mark-published loses nothing; the inbox skips the re-sent duplicates', async () => {
    const s = await scenario('relaykill');
    const groupId = unique('g-relaykill');
    const service = unique('svc');
    const base = { role: 'relay' as const, name: service, databaseUrl: testDatabaseUrl, brokers: sharedBrokers, registryUrl: sharedRegistryUrl, catalogue: s.catalogue };
    const sent = await s.commit(Array.from({ length: 40 }, (_, i) => [`k${i % 4}`, i]));

    const doomed = spawnEventProcess({ ...base, killAfter: 1 });
    assert.equal(await doomed.exited, 'SIGKILL');
    const unpublished = await db(OUTBOX_TABLE).whereNull('published_at').count<{ count: string }[]>('* as count');
    assert.equal(Number(unpublished[0]!.count), 40, 'the killed relay marked nothing');
    const produced = await readTopic(kafka, s.topic, 1);
    assert.ok(produced.length >= 1, 'the killed relay had produced before dying');

    const metrics = createMetrics(groupId);
    const consumer = await startConsumer(consumerOptions(s.catalogue, groupId, metrics));
    const survivor = spawnEventProcess(base);
    try {
      await waitFor('every event published', async () =>
        Number((await db(OUTBOX_TABLE).whereNull('published_at').count<{ count: string }[]>('* as count'))[0]!.count) === 0);
      const onTopic = await readTopic(kafka, s.topic, 40 + produced.length);
      await waitFor('every message handled', async () =>
        (await counter(metrics, 'consumer_processed_total')) + (await counter(metrics, 'consumer_duplicates_total')) >= onTopic.length);

      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      assert.equal(applied.length, 40, 'each event applied exactly once');
      assert.deepEqual([...applied].sort(), [...sent].sort());
      assert.ok(await counter(metrics, 'consumer_duplicates_total') >= 1, 'the re-sent events were seen and skipped');
    } finally {
      await survivor.stop();
      await consumer.stop();
    }
  });

  test('a consumer SIGKILLed after its database commit and before its offset commit applies nothing twice', async () => {
    const s = await scenario('consumerkill');
    const groupId = unique('g-consumerkill');
    const base = { role: 'consumer' as const, name: groupId, databaseUrl: testDatabaseUrl, brokers: sharedBrokers, registryUrl: sharedRegistryUrl, catalogue: s.catalogue };
    const relay = startRelay(relayOptions(unique('svc'), s.catalogue));
    try {
      const sent = await s.commit(Array.from({ length: 30 }, (_, i) => ['one-key', i]));
      await readTopic(kafka, s.topic, 30);

      const doomed = spawnEventProcess({ ...base, killAfter: 1 });
      assert.equal(await doomed.exited, 'SIGKILL');
      assert.ok((await s.effects(groupId)).length > 0, 'effects were committed before the kill');
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [s.topic] });
        assert.ok(offsets!.partitions.every((p) => p.offset === '-1'), 'and no offset was committed for them');

        const survivor = spawnEventProcess(base);
        try {
          // Done when the group's committed offsets reach the end: every message was redelivered and settled.
          const ends = await admin.fetchTopicOffsets(s.topic);
          await waitFor('the survivor to commit every offset', async () => {
            const [committed] = await admin.fetchOffsets({ groupId, topics: [s.topic] });
            return ends.every((end) => committed!.partitions.find((p) => p.partition === end.partition)?.offset === end.high
              || end.high === end.low);
          });
        } finally {
          await survivor.stop();
        }
      } finally {
        await admin.disconnect();
      }
      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      assert.equal(applied.length, 30, 'no effect applied twice');
      assert.deepEqual(applied, sent, 'applied in the order written (one key, one partition)');
    } finally {
      await relay.stop();
    }
  });

  test('per-key order holds across a relay failover', async () => {
    const s = await scenario('failover');
    const groupId = unique('g-failover');
    const service = unique('svc');
    const base = { role: 'relay' as const, name: service, databaseUrl: testDatabaseUrl, brokers: sharedBrokers, registryUrl: sharedRegistryUrl, catalogue: s.catalogue };
    const metrics = createMetrics(groupId);
    const consumer = await startConsumer(consumerOptions(s.catalogue, groupId, metrics));
    const first = spawnEventProcess(base);
    await first.reached('active');
    const standby = spawnEventProcess(base);
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    const rounds = 40;
    try {
      for (let seq = 0; seq < rounds; seq++) {
        await s.commit(keys.map((key) => [key, seq]));
        if (seq === rounds / 2) {
          await waitFor('some events published by the first relay', async () =>
            Number((await db(OUTBOX_TABLE).whereNotNull('published_at').count<{ count: string }[]>('* as count'))[0]!.count) > 0);
          first.child.kill('SIGKILL');
          await first.exited;
        }
      }
      await standby.reached('active');
      await waitForSettled(db, kafka, s.topic, metrics.registry);

      const rows = await s.effects(groupId);
      assert.equal(rows.length, keys.length * rounds, 'no event lost or applied twice');
      for (const key of keys) {
        const seqs = rows.filter((row) => row.key === key).map((row) => row.seq);
        assert.deepEqual(seqs, Array.from({ length: rounds }, (_, i) => i), `events of ${key} applied in order`);
      }
    } finally {
      first.child.kill('SIGKILL');
      await standby.stop();
      await consumer.stop();
    }
  });

  test('consumers read events written with an older or a newer schema version through their own reader schema', async () => {
    const s = await scenario('evolution');
    const v1 = s.definition;
    const v2 = { ...v1, schema: { ...v1.schema, fields: [...v1.schema.fields, { name: 'note', type: 'string', default: '' }] } };
    await registerSubject(sharedRegistryUrl, v2.subject, v2.schema);
    const seen: Record<string, Array<Record<string, unknown>>> = { v1: [], v2: [] };
    const readers = await Promise.all((['v1', 'v2'] as const).map((version) => {
      const groupId = unique(`g-${version}`);
      return startConsumer({
        ...consumerOptions({ [v1.type]: version === 'v1' ? v1 : v2 }, groupId),
        handlers: { [v1.type]: async (event) => { seen[version]!.push(event.payload); } },
      });
    }));
    try {
      const [old] = await s.commit([['k', 1]]);
      const oldRelay = startRelay(relayOptions(unique('svc'), { [v1.type]: v1 }));
      await waitFor('the v1 event published', async () => (await db(OUTBOX_TABLE).whereNull('published_at')).length === 0);
      await oldRelay.stop();
      const newer = itemPayload('k', 2);
      await db.transaction((trx) => createOutbox({ [v1.type]: v2 }).write(trx, [{ type: v1.type, key: 'k', payload: { ...newer, note: 'added in v2' } }]));
      const newRelay = startRelay(relayOptions(unique('svc'), { [v1.type]: v2 }));
      try {
        await waitFor('both readers saw both events', () => seen.v1!.length === 2 && seen.v2!.length === 2);
      } finally {
        await newRelay.stop();
      }
      assert.deepEqual(seen.v1!.map((p) => [p.eventId, 'note' in p]), [[old, false], [newer.eventId, false]]);
      assert.deepEqual(seen.v2!.map((p) => [p.eventId, p.note]), [[old, ''], [newer.eventId, 'added in v2']]);
    } finally {
      await Promise.all(readers.map((reader) => reader.stop()));
    }
  });

  test('a failing handler is retried until it succeeds, and dead-lettered as retries-exhausted once it never does', async () => {
    const s = await scenario('retry');
    const groupId = unique('g-retry');
    const metrics = createMetrics(groupId);
    const attempts = new Map<number, number>();
    const consumer = await startConsumer({
      ...consumerOptions(s.catalogue, groupId, metrics),
      maxAttempts: 4, retryMinMs: 20, retryMaxMs: 50,
      handlers: {
        [s.definition.type]: async (event, trx) => {
          const seq = Number(event.payload.seq);
          attempts.set(seq, (attempts.get(seq) ?? 0) + 1);
          if (seq === 1 && attempts.get(seq)! <= 2) throw new Error('database hiccup');
          if (seq === 2) throw new Error('a bug that never goes away');
          await recordEffect(groupId, event, trx);
        },
      },
    });
    const relay = startRelay(relayOptions(unique('svc'), s.catalogue));
    try {
      const [flaky, broken, healthy] = await s.commit([['k', 1], ['k', 2], ['k', 3]]);
      await waitForSettled(db, kafka, s.topic, metrics.registry);

      assert.deepEqual((await s.effects(groupId)).map((row) => row.event_id), [flaky, healthy]);
      const [letter] = await readTopic(kafka, deadLetterTopic(s.topic), 1);
      assert.equal(letter!.message.headers?.['dlq-reason']?.toString(), 'retries-exhausted');
      assert.match(letter!.message.headers?.['dlq-error']?.toString() ?? '', /4 attempts, last: a bug that never goes away/);
      assert.equal(letter!.message.headers?.['event-id']?.toString(), broken);
      // Failures are counted on the one-by-one path: the broken event fails 3 times there before its
      // 4th attempt dead-letters it; the flaky one at least once (when the three arrive in one run,
      // its first failure is the run's, which is retried one by one and not counted as an attempt).
      assert.ok(await counter(metrics, 'consumer_failures_total') >= 3 + 1, 'every failed one-by-one attempt counted');
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  test('a poison message goes to the DLQ with its reason while the messages after it are applied; replay applies it after the fix', async () => {
    const s = await scenario('poison');
    const groupId = unique('g-poison');
    let fixed = false;
    const metrics = createMetrics(groupId);
    const consumer = await startConsumer({
      ...consumerOptions(s.catalogue, groupId, metrics),
      handlers: {
        [s.definition.type]: async (event, trx) => {
          if (event.payload.seq === 2 && !fixed) throw new PermanentEventError('seq 2 is refused until the fix');
          await recordEffect(groupId, event, trx);
        },
      },
    });
    const relay = startRelay(relayOptions(unique('svc'), s.catalogue));
    const producer = kafka.producer();
    await producer.connect();
    try {
      const [e1] = await s.commit([['poisoned', 1]]);
      await waitFor('e1 applied', async () => (await s.effects(groupId)).length === 1);
      await producer.send({ topic: s.topic, acks: -1, messages: [
        { key: 'poisoned', value: Buffer.from('not avro at all') },
        { key: 'poisoned', value: encodeWire(2 ** 31 - 7, Buffer.from([2, 0])) },
      ] });
      const [e2, e3] = await s.commit([['poisoned', 2], ['poisoned', 3]]);

      await waitFor('e3 applied', async () => (await s.effects(groupId)).some((row) => row.event_id === e3));
      const letters = await readTopic(kafka, deadLetterTopic(s.topic), 3);
      const reasons = letters.map((l) => l.message.headers?.['dlq-reason']?.toString());
      assert.deepEqual(reasons, ['undecodable', 'unknown-schema', 'rejected']);
      for (const { message } of letters) {
        assert.equal(message.headers?.['dlq-topic']?.toString(), s.topic);
        assert.match(message.headers?.['dlq-offset']?.toString() ?? '', /^\d+$/);
        assert.ok(!Number.isNaN(Date.parse(message.headers?.['dlq-at']?.toString() ?? '')));
        assert.equal(message.key?.toString(), 'poisoned');
      }
      assert.equal(letters[0]!.message.value?.toString(), 'not avro at all', 'the original bytes are kept');
      assert.deepEqual((await s.effects(groupId)).map((row) => row.event_id), [e1, e3]);
      assert.equal(await counter(metrics, 'consumer_dead_lettered_total'), 3);

      fixed = true;
      const { replayed } = await replayDeadLetters({ kafka, deadLetterTopic: deadLetterTopic(s.topic), logger });
      assert.equal(replayed, 3);
      await waitFor('e2 applied after replay', async () => (await s.effects(groupId)).some((row) => row.event_id === e2));
      await waitFor('the still-poisonous letters dead-lettered again', async () => (await counter(metrics, 'consumer_dead_lettered_total')) === 5);
      assert.deepEqual((await s.effects(groupId)).map((row) => row.event_id), [e1, e3, e2]);
    } finally {
      await producer.disconnect();
      await relay.stop();
      await consumer.stop();
    }
  });
});
