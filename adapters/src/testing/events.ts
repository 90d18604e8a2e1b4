import type { Knex } from 'knex';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { createBackboneTables, dropBackboneTables, OUTBOX_TABLE } from '../events/tables';

/** Test helpers for the event backbone: schemas, tables, registration, waiting by condition. */

export const testDatabaseUrl =
  process.env.TULITY_ADAPTERS_TEST_DATABASE_URL ??
  'postgres://tulity_adapters:tulity_adapters@127.0.0.1:5432/tulity_adapters_test';
export const sharedBrokers = (process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const sharedRegistryUrl = process.env.TULITY_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export const EFFECTS_TABLE = 'backbone_test_effects';

/** A test event type on its own topic: `seq` orders the events of one key. */
export function itemRecorded(topic: string, name = 'ItemRecorded') {
  const type = `tulity.test.${name}`;
  return {
    type,
    topic,
    subject: `${topic}-${type}`,
    schema: {
      type: 'record',
      name,
      namespace: 'tulity.test',
      fields: [
        { name: 'eventId', type: 'string' },
        { name: 'occurredAt', type: 'long' },
        { name: 'correlationId', type: 'string' },
        { name: 'aggregateId', type: 'string' },
        { name: 'seq', type: 'int' },
      ],
    },
  };
}

export function itemPayload(aggregateId: string, seq: number) {
  return { eventId: randomUUID(), occurredAt: Date.now(), correlationId: randomUUID(), aggregateId, seq };
}

/** Fresh backbone tables and an effects table with no unique key, so a double apply shows as two rows. */
export async function resetTables(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists(EFFECTS_TABLE);
  await dropBackboneTables(db);
  await createBackboneTables(db);
  await db.schema.createTable(EFFECTS_TABLE, (table) => {
    table.bigIncrements('id');
    table.text('group_id').notNullable();
    table.text('event_id').notNullable();
    table.text('key');
    table.integer('seq');
  });
}

/** The handler every test consumer uses: one effects row per apply. */
export async function recordEffect(
  groupId: string,
  event: { eventId: string; key: string | null; payload: Record<string, unknown> },
  trx: Knex.Transaction,
) {
  await trx(EFFECTS_TABLE).insert({
    group_id: groupId,
    event_id: event.eventId,
    key: event.key,
    seq: Number(event.payload.seq),
  });
}

export async function registerSubject(registryUrl: string, subject: string, schema: object): Promise<number> {
  const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  if (!response.ok) throw new Error(`register ${subject}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs` (a deadline, not a measurement). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Sum of a counter's values in a prom-client registry. */
export async function counterTotal(registry: Registry, name: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.reduce((sum, value) => sum + value.value, 0);
}

/**
 * Waits until the outbox is empty and the consumer whose metrics are in `registry` has settled
 * (applied, skipped as duplicate, or dead-lettered) as many messages as `topic` holds — so a
 * count taken afterwards also sees late duplicates.
 */
export async function waitForSettled(db: Knex, kafka: Kafka, topic: string, registry: Registry, timeoutMs = 120_000) {
  await waitFor(
    'every outbox row published',
    async () => (await db(OUTBOX_TABLE).whereNull('published_at').first()) === undefined,
    timeoutMs,
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    await waitFor(
      `all ${total} messages of ${topic} settled`,
      async () => {
        const settled =
          (await counterTotal(registry, 'consumer_processed_total')) +
          (await counterTotal(registry, 'consumer_duplicates_total')) +
          (await counterTotal(registry, 'consumer_dead_lettered_total'));
        return settled >= total;
      },
      timeoutMs,
    );
    return total;
  } finally {
    await admin.disconnect();
  }
}
