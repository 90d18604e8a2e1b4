// The PriceChanged evolution, v1 → v2 (buy prices), through the real registry and broker: an event
// an older products wrote with v1, then events products writes today through its outbox and relay.
// A consumer still reading v1 and one reading v2 both read all of them, each resolving the writer
// schema whose id travels in the message into its own reader schema.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType, type DecodeOptions } from '@kafkajs/confluent-schema-registry';
import { catalogue, eventsOf, type PriceChangedV1 } from '@tulity/contracts';
import { deleteSubject, registerSubject } from '@tulity/contracts/registry';
import type { EventDefinition } from '@tulity/adapters/events/catalogue';
import { startRelay, type Relay } from '@tulity/adapters/events/relay';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import { waitFor } from '@tulity/adapters/testing/events';
import {
  brokers,
  buildCatalogue,
  emptyTables,
  productsDatabase,
  registryUrl,
  startProducts,
  type ProductsApi,
} from './harness';

const run = randomUUID().slice(0, 8);
const prefix = `products-price-${run}`;
// Topics and subjects of this run only, so parallel runs on the shared broker never collide.
const outgoing: Record<string, EventDefinition> = Object.fromEntries(
  eventsOf('products').map((e) => {
    const topic = `${prefix}.${e.topic}`;
    return [e.type, { ...e, topic, subject: `${topic}-${e.type}` }];
  }),
);
const entry = catalogue['tulity.products.PriceChanged'];
const { topic, subject } = outgoing[entry.type]!;
const [v1, v2] = entry.history;

const kafka = createKafka(brokers, prefix);
const registry = new SchemaRegistry({ host: registryUrl });
let db: Knex;
let api: ProductsApi;
let relay: Relay | undefined;

interface Received {
  schemaId: number;
  value: Record<string, unknown>;
}

/** Every message of the topic written under `schemaIds`, read from the start in a fresh group and decoded with `readerSchema`. */
async function readWith(
  name: string,
  readerSchema: object,
  schemaIds: Set<number>,
  count: number,
): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId: `${prefix}-${name}` });
  const received: Received[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      // A guard so a broken broker fails the test instead of hanging the runner; not a timing assertion.
      const guard = setTimeout(
        () => reject(new Error(`${name}: ${received.length} of ${count} messages after 60 s`)),
        60_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const schemaId = message.value!.readUInt32BE(1);
            // The topic also carries the product's other events; only PriceChanged is read here.
            if (!schemaIds.has(schemaId)) return;
            const decoded = await registry.decode(message.value!, {
              [SchemaType.AVRO]: { readerSchema },
            } as DecodeOptions);
            received.push({ schemaId, value: JSON.parse(JSON.stringify(decoded)) });
            if (received.length === count) {
              clearTimeout(guard);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

beforeAll(async () => {
  db = await productsDatabase();
  await emptyTables(db);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [...new Set(Object.values(outgoing).map((d) => d.topic))].map((t) => ({ topic: t, numPartitions: 1 })),
  });
  await admin.disconnect();
  api = await startProducts(db, outgoing);
});

afterAll(async () => {
  await relay?.stop();
  await api.close();
  await db.destroy();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) });
  await admin.disconnect();
  for (const definition of Object.values(outgoing))
    await deleteSubject(registryUrl, definition.subject).catch(() => undefined);
});

describe('PriceChanged v1 → v2 through the registry and the broker', () => {
  test('products writes v2; a v1 reader reads it without the buy prices, a v2 reader reads an old v1 event with them null', async () => {
    // Before the evolution: the subject holds v1 only, and an older products wrote this event with it.
    const before = await registerSubject(registryUrl, { subject, compatibility: entry.compatibility, history: [v1!] });
    const old: PriceChangedV1 = {
      eventId: randomUUID(),
      occurredAt: Date.UTC(2026, 0, 1),
      correlationId: `old-${run}`,
      aggregateId: randomUUID(),
      unitLevelId: randomUUID(),
      currency: 'EUR',
      previousPriceMinor: null,
      priceMinor: 120,
    };
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: old.aggregateId, value: await registry.encode(before.ids[0]!, old) }],
    });
    await producer.disconnect();

    // Today's products: its prices leave through the outbox and the relay, which registers v2 under the subject's level.
    const { product, pieceLevel, boxLevel } = await buildCatalogue(api, `EVOLVE-${run}`);
    relay = startRelay({
      service: 'products',
      db,
      kafka,
      registryUrl,
      catalogue: outgoing,
      logger: createLogger('products-it'),
      metrics: createMetrics('products'),
    });
    await waitFor(
      'outbox drained',
      async () => Number((await db('event_outbox').whereNull('published_at').count({ n: '*' }).first())?.n) === 0,
    );
    const after = await registerSubject(registryUrl, {
      subject,
      compatibility: entry.compatibility,
      history: [v1!, v2!],
    });
    expect(after.added).toBe(0);
    const ids = new Set(after.ids);

    const [onV1, onV2] = await Promise.all([readWith('v1', v1!, ids, 3), readWith('v2', v2!, ids, 3)]);

    expect(onV1.map((m) => m.schemaId)).toEqual([after.ids[0], after.ids[1], after.ids[1]]);
    const written = [
      { unitLevelId: pieceLevel.id, priceMinor: 150, buyPriceMinor: 90 },
      { unitLevelId: boxLevel.id, priceMinor: 3200, buyPriceMinor: 2000 },
    ];
    // The v1 reader sees every event, the v2 ones without the fields it does not know.
    expect(onV1[0]!.value).toEqual(old);
    for (const [i, message] of onV1.slice(1).entries()) {
      expect(message.value).toMatchObject({
        aggregateId: product.id,
        unitLevelId: written[i]!.unitLevelId,
        priceMinor: written[i]!.priceMinor,
      });
      expect(Object.keys(message.value).filter((k) => k.includes('Buy'))).toEqual([]);
    }
    // The v2 reader gets the defaults (null) for the event written before the fields existed, and the buy prices products now sends.
    expect(onV2[0]!.value).toEqual({ ...old, buyPriceMinor: null, previousBuyPriceMinor: null });
    expect(onV2.slice(1).map((m) => m.value)).toEqual(
      written.map((w) => expect.objectContaining({ ...w, previousBuyPriceMinor: null, aggregateId: product.id })),
    );
  });
});
