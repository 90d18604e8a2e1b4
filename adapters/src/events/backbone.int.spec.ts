import { afterAll, beforeAll, beforeEach, describe, test, expect } from '@jest/globals';
import { assertTestDatabase, createDatabase } from '../postgres/database';
import { transaction } from '../postgres/transaction';
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
  counterTotal,
  EFFECTS_TABLE,
  itemPayload,
  itemRecorded,
  recordEffect,
  registerSubject,
  resetTables,
  sharedBrokers,
  sharedRegistryUrl,
  testDatabaseUrl,
  unique,
  waitFor,
  waitForSettled,
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

function consumerOptions(
  catalogue: Record<string, ReturnType<typeof itemRecorded>>,
  groupId: string,
  metrics = createMetrics(groupId),
) {
  const [type] = Object.keys(catalogue);
  return {
    groupId,
    db,
    kafka,
    registryUrl: sharedRegistryUrl,
    catalogue,
    logger,
    metrics,
    fromBeginning: true,
    retryMinMs: 50,
    retryMaxMs: 500,
    handlers: { [type!]: (event: any, trx: any) => recordEffect(groupId, event, trx) },
  };
}

const relayOptions = (service: string, catalogue: Record<string, ReturnType<typeof itemRecorded>>) => ({
  service,
  db,
  kafka,
  registryUrl: sharedRegistryUrl,
  catalogue,
  logger,
  metrics: createMetrics(service),
  lockRetryMs: 200,
  retryMaxMs: 1000,
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
    const consumer = await startConsumer({
      ...consumerOptions(s.catalogue, groupId, consumerMetrics),
      lagIntervalMs: 200,
    });
    try {
      const rolledBack = s.write('k0', 0);
      await expect(
        db.transaction(async (trx) => {
          await s.outbox.write(trx, [rolledBack.event]);
          throw new Error('use case failed after writing its event');
        }),
      ).rejects.toThrow(/use case failed/);
      const sent = await s.commit(Array.from({ length: 30 }, (_, i) => [`k${i % 3}`, i]));

      await waitFor('30 effects', async () => (await s.effects(groupId)).length >= 30);
      const messages = await readTopic(kafka, s.topic, 30, sharedRegistryUrl);

      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      expect([...applied].sort()).toEqual([...sent].sort());
      const onTopic = messages.map((m) => m.decoded.eventId);
      expect([...onTopic].sort()).toEqual([...sent].sort());
      expect(onTopic).not.toContain(rolledBack.id);
      expect(applied).not.toContain(rolledBack.id);
      expect((await db(OUTBOX_TABLE).where({ event_id: rolledBack.id })).length).toBe(0);
      // Confluent wire format: magic byte 0.
      expect(messages.every((m) => m.message.value![0] === 0)).toBeTruthy();

      expect(await counter(relayMetrics, 'relay_published_total')).toBe(30);
      expect(await counter(consumerMetrics, 'consumer_processed_total')).toBe(30);
      const endToEnd = (await consumerMetrics.registry.getSingleMetric('event_end_to_end_seconds')!.get())
        .values as Array<{ metricName?: string; value: number }>;
      expect(endToEnd.find((v) => v.metricName === 'event_end_to_end_seconds_count')?.value).toBe(30);
      const lag = await waitFor('the lag gauge to show every partition caught up', async () => {
        const values = (await consumerMetrics.registry.getSingleMetric('consumer_lag')!.get()).values.filter(
          (v) => v.labels.topic === s.topic,
        );
        return values.length > 0 && values.every((v) => v.value === 0) ? values : undefined;
      });
      expect(lag!.every((v) => v.labels.group === groupId)).toBeTruthy();
      const pending = (await relayMetrics.registry.getSingleMetric('outbox_pending_events')!.get()).values;
      expect(pending[0]?.value).toBe(0);
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
      // The outbox's insert waits for the transaction's next statement (postgres/pipeline.ts): this
      // one sends it, so the row takes its id now, before the others, and stays uncommitted.
      await slow.raw('select 1');
      const early = await s.commit([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]);
      await waitFor(
        'the later ids published',
        async () => (await db(OUTBOX_TABLE).whereIn('event_id', early).whereNotNull('published_at')).length === 3,
      );
      await slow.commit();

      await waitFor('the late event applied', async () => (await s.effects(groupId)).length >= 4);
      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      expect([...applied].sort()).toEqual([...early, late.id].sort());
      const [lateOutbox] = await db(OUTBOX_TABLE).where({ event_id: late.id });
      // The late transaction holds a lower id than rows published before it.
      expect(Number(lateOutbox.id)).toBeLessThan(
        Number((await db(OUTBOX_TABLE).whereIn('event_id', early).max('id as id'))[0]!.id),
      );
    } finally {
      await consumer.stop();
      await relay.stop();
    }
  });

  test('a commit that wrote events wakes the idle relay instead of leaving them to its next poll', async () => {
    const s = await scenario('wake');
    const relay = startRelay({ ...relayOptions(unique('svc'), s.catalogue), maxIdleMs: 60_000 });
    try {
      await waitFor('the relay active', () => relay.isActive, 30_000, 10);
      // Its first poll found nothing: it pauses for a minute, unless woken.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { event, id } = s.write('k', 0);
      // As the services write: knex's own db.transaction (s.commit) runs no commit hooks.
      await transaction(db, (trx) => s.outbox.write(trx, [event]));
      // Well inside the minute the relay would otherwise sleep.
      await waitFor(
        'the row published',
        async () => (await db(OUTBOX_TABLE).where({ event_id: id }).whereNotNull('published_at').first()) !== undefined,
        10_000,
        10,
      );
    } finally {
      await relay.stop();
    }
  });

  test('published rows are deleted once older than the retention', async () => {
    const s = await scenario('prune');
    const relay = startRelay({ ...relayOptions(unique('svc'), s.catalogue), retentionMs: 300, pruneIntervalMs: 50 });
    try {
      const [id] = await s.commit([['k', 1]]);
      await waitFor(
        'the event published',
        async () => (await db(OUTBOX_TABLE).where({ event_id: id }).whereNotNull('published_at')).length === 1,
      );
      await waitFor(
        'the published row pruned',
        async () => (await db(OUTBOX_TABLE).where({ event_id: id })).length === 0,
      );
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
      const before = await s.commit([
        ['k', 1],
        ['k', 2],
      ]);
      await waitFor(
        'the first events published',
        async () => (await db(OUTBOX_TABLE).whereNull('published_at')).length === 0,
      );
      const killed = await db.raw(
        `select pg_terminate_backend(pid) as done from pg_locks
         where locktype = 'advisory' and granted and objid = hashtext(?)::oid`,
        [`tulity-relay:${service}`],
      );
      // Exactly one session held the relay lock.
      expect(killed.rows.length).toBe(1);

      const after = await s.commit([
        ['k', 3],
        ['k', 4],
      ]);
      await waitFor(
        'the later events published',
        async () => (await db(OUTBOX_TABLE).whereNull('published_at')).length === 0,
      );
      expect(relay.isActive).toBeTruthy();
      // The broken session was noticed.
      expect(await counter(metrics, 'relay_failures_total')).toBeGreaterThanOrEqual(1);
      expect(await counter(metrics, 'relay_published_total')).toBe(before.length + after.length);
    } finally {
      await relay.stop();
    }
  });

  test('a relay SIGKILLed between produce and mark-published loses nothing; the inbox skips the re-sent duplicates', async () => {
    const s = await scenario('relaykill');
    const groupId = unique('g-relaykill');
    const service = unique('svc');
    const base = {
      role: 'relay' as const,
      name: service,
      databaseUrl: testDatabaseUrl,
      brokers: sharedBrokers,
      registryUrl: sharedRegistryUrl,
      catalogue: s.catalogue,
    };
    const sent = await s.commit(Array.from({ length: 40 }, (_, i) => [`k${i % 4}`, i]));

    const doomed = spawnEventProcess({ ...base, killAfter: 1 });
    expect(await doomed.exited).toBe('SIGKILL');
    const unpublished = await db(OUTBOX_TABLE).whereNull('published_at').count<{ count: string }[]>('* as count');
    // The killed relay marked nothing.
    expect(Number(unpublished[0]!.count)).toBe(40);
    const produced = await readTopic(kafka, s.topic, 1);
    // The killed relay had produced before dying.
    expect(produced.length).toBeGreaterThanOrEqual(1);

    const metrics = createMetrics(groupId);
    const consumer = await startConsumer(consumerOptions(s.catalogue, groupId, metrics));
    const survivor = spawnEventProcess(base);
    try {
      await waitFor(
        'every event published',
        async () =>
          Number(
            (await db(OUTBOX_TABLE).whereNull('published_at').count<{ count: string }[]>('* as count'))[0]!.count,
          ) === 0,
      );
      const onTopic = await readTopic(kafka, s.topic, 40 + produced.length);
      await waitFor(
        'every message handled',
        async () =>
          (await counter(metrics, 'consumer_processed_total')) +
            (await counter(metrics, 'consumer_duplicates_total')) >=
          onTopic.length,
      );

      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      // Each event applied exactly once.
      expect(applied.length).toBe(40);
      expect([...applied].sort()).toEqual([...sent].sort());
      // The re-sent events were seen and skipped.
      expect(await counter(metrics, 'consumer_duplicates_total')).toBeGreaterThanOrEqual(1);
    } finally {
      await survivor.stop();
      await consumer.stop();
    }
  });

  test('a consumer SIGKILLed after its database commit and before its offset commit applies nothing twice', async () => {
    const s = await scenario('consumerkill');
    const groupId = unique('g-consumerkill');
    const base = {
      role: 'consumer' as const,
      name: groupId,
      databaseUrl: testDatabaseUrl,
      brokers: sharedBrokers,
      registryUrl: sharedRegistryUrl,
      catalogue: s.catalogue,
    };
    const relay = startRelay(relayOptions(unique('svc'), s.catalogue));
    try {
      const sent = await s.commit(Array.from({ length: 30 }, (_, i) => ['one-key', i]));
      await readTopic(kafka, s.topic, 30);

      const doomed = spawnEventProcess({ ...base, killAfter: 1 });
      expect(await doomed.exited).toBe('SIGKILL');
      // Effects were committed before the kill.
      expect((await s.effects(groupId)).length).toBeGreaterThan(0);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [s.topic] });
        // And no offset was committed for them.
        expect(offsets!.partitions.every((p) => p.offset === '-1')).toBeTruthy();

        const survivor = spawnEventProcess(base);
        try {
          // Done when the group's committed offsets reach the end: every message was redelivered and settled.
          const ends = await admin.fetchTopicOffsets(s.topic);
          await waitFor('the survivor to commit every offset', async () => {
            const [committed] = await admin.fetchOffsets({ groupId, topics: [s.topic] });
            return ends.every(
              (end) =>
                committed!.partitions.find((p) => p.partition === end.partition)?.offset === end.high ||
                end.high === end.low,
            );
          });
        } finally {
          await survivor.stop();
        }
      } finally {
        await admin.disconnect();
      }
      const applied = (await s.effects(groupId)).map((row) => row.event_id);
      // No effect applied twice.
      expect(applied.length).toBe(30);
      // Applied in the order written (one key, one partition).
      expect(applied).toEqual(sent);
    } finally {
      await relay.stop();
    }
  });

  test('per-key order holds across a relay failover', async () => {
    const s = await scenario('failover');
    const groupId = unique('g-failover');
    const service = unique('svc');
    const base = {
      role: 'relay' as const,
      name: service,
      databaseUrl: testDatabaseUrl,
      brokers: sharedBrokers,
      registryUrl: sharedRegistryUrl,
      catalogue: s.catalogue,
    };
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
          await waitFor(
            'some events published by the first relay',
            async () =>
              Number(
                (await db(OUTBOX_TABLE).whereNotNull('published_at').count<{ count: string }[]>('* as count'))[0]!
                  .count,
              ) > 0,
          );
          first.child.kill('SIGKILL');
          await first.exited;
        }
      }
      await standby.reached('active');
      await waitForSettled(db, kafka, s.topic, metrics.registry);

      const rows = await s.effects(groupId);
      // No event lost or applied twice.
      expect(rows.length).toBe(keys.length * rounds);
      for (const key of keys) {
        const seqs = rows.filter((row) => row.key === key).map((row) => row.seq);
        expect({ key, seqs }).toEqual({ key, seqs: Array.from({ length: rounds }, (_, i) => i) });
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
    const v2 = {
      ...v1,
      schema: { ...v1.schema, fields: [...v1.schema.fields, { name: 'note', type: 'string', default: '' }] },
    };
    await registerSubject(sharedRegistryUrl, v2.subject, v2.schema);
    const seen: Record<string, Array<Record<string, unknown>>> = { v1: [], v2: [] };
    const readers = await Promise.all(
      (['v1', 'v2'] as const).map((version) => {
        const groupId = unique(`g-${version}`);
        return startConsumer({
          ...consumerOptions({ [v1.type]: version === 'v1' ? v1 : v2 }, groupId),
          handlers: {
            [v1.type]: async (event) => {
              seen[version]!.push(event.payload);
            },
          },
        });
      }),
    );
    try {
      const [old] = await s.commit([['k', 1]]);
      const oldRelay = startRelay(relayOptions(unique('svc'), { [v1.type]: v1 }));
      await waitFor(
        'the v1 event published',
        async () => (await db(OUTBOX_TABLE).whereNull('published_at')).length === 0,
      );
      await oldRelay.stop();
      const newer = itemPayload('k', 2);
      await db.transaction((trx) =>
        createOutbox({ [v1.type]: v2 }).write(trx, [
          { type: v1.type, key: 'k', payload: { ...newer, note: 'added in v2' } },
        ]),
      );
      const newRelay = startRelay(relayOptions(unique('svc'), { [v1.type]: v2 }));
      try {
        await waitFor('both readers saw both events', () => seen.v1!.length === 2 && seen.v2!.length === 2);
      } finally {
        await newRelay.stop();
      }
      expect(seen.v1!.map((p) => [p.eventId, 'note' in p])).toEqual([
        [old, false],
        [newer.eventId, false],
      ]);
      expect(seen.v2!.map((p) => [p.eventId, p.note])).toEqual([
        [old, ''],
        [newer.eventId, 'added in v2'],
      ]);
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
      maxAttempts: 4,
      retryMinMs: 20,
      retryMaxMs: 50,
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
      const [flaky, broken, healthy] = await s.commit([
        ['k', 1],
        ['k', 2],
        ['k', 3],
      ]);
      await waitForSettled(db, kafka, s.topic, metrics.registry);

      expect((await s.effects(groupId)).map((row) => row.event_id)).toEqual([flaky, healthy]);
      const [letter] = await readTopic(kafka, deadLetterTopic(s.topic), 1);
      expect(letter!.message.headers?.['dlq-reason']?.toString()).toBe('retries-exhausted');
      expect(letter!.message.headers?.['dlq-error']?.toString() ?? '').toMatch(
        /4 attempts, last: a bug that never goes away/,
      );
      expect(letter!.message.headers?.['event-id']?.toString()).toBe(broken);
      // Failures are counted on the one-by-one path: the broken event fails 3 times there before its
      // 4th attempt dead-letters it; the flaky one at least once (when the three arrive in one run,
      // its first failure is the run's, which is retried one by one and not counted as an attempt).
      // Every failed one-by-one attempt counted.
      expect(await counter(metrics, 'consumer_failures_total')).toBeGreaterThanOrEqual(3 + 1);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  test('an event whose data the database refuses (a data exception) is dead-lettered at once, not retried', async () => {
    const s = await scenario('data-exception');
    const groupId = unique('g-data');
    const metrics = createMetrics(groupId);
    const consumer = await startConsumer({
      ...consumerOptions(s.catalogue, groupId, metrics),
      maxAttempts: 20,
      handlers: {
        [s.definition.type]: async (event, trx) => {
          // As a handler looking up an id another service sent that is no uuid ("sale-0").
          if (event.payload.seq === 1) await trx.raw('select ?::uuid', [`sale-${event.payload.seq}`]);
          await recordEffect(groupId, event, trx);
        },
      },
    });
    const relay = startRelay(relayOptions(unique('svc'), s.catalogue));
    try {
      const [, e2] = await s.commit([
        ['bad-data', 1],
        ['bad-data', 2],
      ]);
      await waitFor('e2 applied', async () => (await s.effects(groupId)).some((row) => row.event_id === e2));
      const [letter] = await readTopic(kafka, deadLetterTopic(s.topic), 1);
      expect(letter!.message.headers?.['dlq-reason']?.toString()).toBe('rejected');
      expect(await counter(metrics, 'consumer_failures_total')).toBe(0);
      expect((await s.effects(groupId)).map((row) => row.event_id)).toEqual([e2]);
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
      await producer.send({
        topic: s.topic,
        acks: -1,
        messages: [
          { key: 'poisoned', value: Buffer.from('not avro at all') },
          { key: 'poisoned', value: encodeWire(2 ** 31 - 7, Buffer.from([2, 0])) },
        ],
      });
      const [e2, e3] = await s.commit([
        ['poisoned', 2],
        ['poisoned', 3],
      ]);

      await waitFor('e3 applied', async () => (await s.effects(groupId)).some((row) => row.event_id === e3));
      const letters = await readTopic(kafka, deadLetterTopic(s.topic), 3);
      const reasons = letters.map((l) => l.message.headers?.['dlq-reason']?.toString());
      expect(reasons).toEqual(['undecodable', 'unknown-schema', 'rejected']);
      for (const { message } of letters) {
        expect(message.headers?.['dlq-topic']?.toString()).toBe(s.topic);
        expect(message.headers?.['dlq-offset']?.toString() ?? '').toMatch(/^\d+$/);
        expect(Date.parse(message.headers?.['dlq-at']?.toString() ?? '')).not.toBeNaN();
        expect(message.key?.toString()).toBe('poisoned');
      }
      // The original bytes are kept.
      expect(letters[0]!.message.value?.toString()).toBe('not avro at all');
      expect((await s.effects(groupId)).map((row) => row.event_id)).toEqual([e1, e3]);
      expect(await counter(metrics, 'consumer_dead_lettered_total')).toBe(3);

      fixed = true;
      const { replayed } = await replayDeadLetters({ kafka, deadLetterTopic: deadLetterTopic(s.topic), logger });
      expect(replayed).toBe(3);
      await waitFor('e2 applied after replay', async () =>
        (await s.effects(groupId)).some((row) => row.event_id === e2),
      );
      await waitFor(
        'the still-poisonous letters dead-lettered again',
        async () => (await counter(metrics, 'consumer_dead_lettered_total')) === 5,
      );
      expect((await s.effects(groupId)).map((row) => row.event_id)).toEqual([e1, e3, e2]);
    } finally {
      await producer.disconnect();
      await relay.stop();
      await consumer.stop();
    }
  });
});
