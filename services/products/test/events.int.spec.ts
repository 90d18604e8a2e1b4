// End to end through the real broker, registry and Postgres: transactions' events (produced here
// with the Confluent wire format) drive reservations, releases and purchases; products' events
// leave through the outbox and relay and are decoded by an independent registry client.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { catalogue, eventsOf } from '@tulity/contracts';
import { avroType } from '@tulity/adapters/events/avro';
import type { EventDefinition } from '@tulity/adapters/events/catalogue';
import type { Consumer } from '@tulity/adapters/events/consumer';
import { createRegistryClient } from '@tulity/adapters/events/registry';
import { startRelay, type Relay } from '@tulity/adapters/events/relay';
import { encodeWire } from '@tulity/adapters/events/wire';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import { waitFor } from '@tulity/adapters/testing/events';
import { readTopic } from '@tulity/adapters/testing/topic-reader';
import type { Producer } from 'kafkajs';
import { consumedTypes, consumerCatalogue } from '../src/adapters/kafka/handlers';
import { startConsumerRole } from '../src/main';
import {
  brokers,
  buildCatalogue,
  emptyTables,
  productsDatabase,
  registryUrl,
  startProducts,
  type ProductsApi,
} from './harness';

// Topics and subjects of this run only, so parallel work on the shared broker never collides.
const run = randomUUID().slice(0, 8);
const prefix = `products-it-${run}`;
const ofThisRun = (definitions: Record<string, EventDefinition>) =>
  Object.fromEntries(
    Object.entries(definitions).map(([type, d]) => {
      const topic = `${prefix}.${d.topic}`;
      return [type, { ...d, topic, subject: `${topic}-${type}` }];
    }),
  );
const incoming = ofThisRun(consumerCatalogue());
const outgoing = ofThisRun(Object.fromEntries(eventsOf('products').map((e) => [e.type, e])));
const topicOf = (type: string) => outgoing[type]!.topic;

const kafka = createKafka(brokers, `products-it-${run}`);
const logger = createLogger('products-it');
const metrics = createMetrics('products');
const registry = createRegistryClient(registryUrl);
const groupId = `products-it-${run}`;

let db: Knex;
let api: ProductsApi;
let relay: Relay;
let producer: Producer;
const consumers: Consumer[] = [];
let productId: string;
let pieceLevel: string;
let boxLevel: string;

/** Sends an event as transactions would: its newest writer schema, read by products with its own reader schema. */
async function send(type: string, payload: Record<string, unknown>) {
  const definition = incoming[type]!;
  const writer = catalogue[type as keyof typeof catalogue].schema;
  const id = await registry.idOf(definition.subject, writer);
  await producer.send({
    topic: definition.topic,
    acks: -1,
    messages: [{ key: String(payload.aggregateId), value: encodeWire(id, avroType(writer).toBuffer(payload)) }],
  });
}

const envelope = (aggregateId: string) => ({
  eventId: randomUUID(),
  occurredAt: Date.now(),
  correlationId: randomUUID(),
  aggregateId,
});
const line = (unitLevelId: string, quantity: number, factor: number, product = productId) => ({
  productId: product,
  unitLevelId,
  quantity,
  conversionFactor: factor,
  baseQuantity: quantity * factor,
  unitPriceMinor: 100,
  lineTotalMinor: quantity * 100,
});
const sale = (saleId: string, lines: ReturnType<typeof line>[]) => ({
  ...envelope(saleId),
  cashierId: 'cashier-1',
  currency: 'EUR',
  lines,
  totalMinor: lines.reduce((s, l) => s + l.lineTotalMinor, 0),
});
const purchase = (purchaseId: string, lines: ReturnType<typeof line>[]) => ({
  ...envelope(purchaseId),
  recordedBy: 'manager-1',
  supplierName: 'Acme',
  currency: 'EUR',
  supplierInvoiceNumber: 'INV-1',
  lines: lines.map(({ unitPriceMinor, ...l }) => ({ ...l, unitCostMinor: unitPriceMinor })),
  totalMinor: 0,
});

const stockOf = async (id = productId) =>
  Number((await db('product_stock').where({ product_id: id }).first()).quantity);
const ledgerOf = async (id = productId) =>
  Number((await db('stock_movements').where({ product_id: id }).sum({ s: 'delta' }).first())?.s ?? 0);
const movementsOf = async (id = productId) =>
  Number((await db('stock_movements').where({ product_id: id }).count({ n: '*' }).first())?.n);
const statusOf = async (saleId: string) => (await db('stock_reservations').where({ sale_id: saleId }).first())?.status;
const counter = async (name: string) => {
  const values = (await (metrics.registry.getSingleMetric(name) as Counter).get()).values;
  return values.filter((v) => v.labels.group === groupId).reduce((sum, v) => sum + v.value, 0);
};
const startConsumerInstance = async () => {
  consumers.push(await startConsumerRole({ db, kafka, logger, metrics, registryUrl, groupId, incoming, outgoing }));
};

beforeAll(async () => {
  db = await productsDatabase();
  await emptyTables(db);
  const admin = kafka.admin();
  await admin.connect();
  // Four partitions on the sale topic, so two consumer instances apply sales at the same time.
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      ...[...new Set(Object.values(incoming).map((d) => d.topic))].map((topic) => ({
        topic,
        numPartitions: topic.endsWith('.sale') ? 4 : 1,
      })),
      ...[...new Set(Object.values(outgoing).map((d) => d.topic))].map((topic) => ({ topic, numPartitions: 1 })),
    ],
  });
  await admin.disconnect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  api = await startProducts(db, outgoing);
  const built = await buildCatalogue(api, `E2E-${run}`);
  productId = built.product.id;
  pieceLevel = built.pieceLevel.id;
  boxLevel = built.boxLevel.id;
  relay = startRelay({ service: 'products', db, kafka, registryUrl, catalogue: outgoing, logger, metrics });
  await startConsumerInstance();
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await relay.stop();
  await producer.disconnect();
  await api.close();
  await db.destroy();
  // This run's topics and subjects are of no use to anyone after it.
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`)) });
  await admin.disconnect();
  for (const { subject } of [...Object.values(incoming), ...Object.values(outgoing)]) {
    await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}`, { method: 'DELETE' }).catch(() => undefined);
  }
});

describe('the sale saga and purchases through Kafka', () => {
  test('a purchase recorded adds its base quantities to stock', async () => {
    await send(consumedTypes.purchaseRecorded, purchase(`purchase-${run}`, [line(boxLevel, 2, 24)]));
    await waitFor('purchase applied', async () => (await stockOf()) === 48);
  });

  test('a sale that fits is reserved; one that does not is rejected with shortages and no stock change', async () => {
    await send(consumedTypes.saleRequested, sale(`sale-1-${run}`, [line(boxLevel, 1, 24), line(pieceLevel, 4, 1)]));
    await waitFor('sale 1 reserved', async () => (await statusOf(`sale-1-${run}`)) === 'reserved');
    expect(await stockOf()).toBe(20);

    await send(consumedTypes.saleRequested, sale(`sale-2-${run}`, [line(boxLevel, 1, 24)]));
    await waitFor('sale 2 rejected', async () => (await statusOf(`sale-2-${run}`)) === 'rejected');
    expect(await stockOf()).toBe(20);
  });

  test('a cancelled sale gives back exactly what it took; a rejected one gives back nothing', async () => {
    await send(consumedTypes.saleCancelled, {
      ...sale(`sale-1-${run}`, [line(boxLevel, 1, 24), line(pieceLevel, 4, 1)]),
      cancelledBy: 'cashier-1',
      reason: 'customer left',
    });
    await waitFor('sale 1 released', async () => (await statusOf(`sale-1-${run}`)) === 'released');
    expect(await stockOf()).toBe(48);

    const rejectedBefore = await counter('consumer_processed_total');
    await send(consumedTypes.saleRejected, {
      ...sale(`sale-2-${run}`, [line(boxLevel, 1, 24)]),
      reason: 'insufficient-stock',
      shortages: [{ productId, requestedBase: 24, availableBase: 20 }],
    });
    await waitFor(
      'sale 2 rejection consumed',
      async () => (await counter('consumer_processed_total')) > rejectedBefore,
    );
    expect(await stockOf()).toBe(48);
    expect(await statusOf(`sale-2-${run}`)).toBe('rejected');
  });

  test('a confirmed sale keeps its stock and no longer counts as reserved', async () => {
    await send(consumedTypes.saleRequested, sale(`sale-3-${run}`, [line(boxLevel, 1, 24)]));
    await waitFor('sale 3 reserved', async () => (await statusOf(`sale-3-${run}`)) === 'reserved');
    expect((await api.call('GET', `/api/v1/products/${productId}/stock`)).body.reserved).toBe(24);
    await send(consumedTypes.saleConfirmed, sale(`sale-3-${run}`, [line(boxLevel, 1, 24)]));
    await waitFor('sale 3 confirmed', async () => (await statusOf(`sale-3-${run}`)) === 'confirmed');
    const stock = (await api.call('GET', `/api/v1/products/${productId}/stock`)).body;
    expect([stock.quantity, stock.reserved]).toEqual([24, 0]);
    expect(await ledgerOf()).toBe(24);
  });

  test('redelivery changes nothing: offsets rewound to the start, and events re-sent under new ids', async () => {
    const before = {
      stock: await stockOf(),
      movements: await movementsOf(),
      duplicates: await counter('consumer_duplicates_total'),
    };
    const consumer = consumers.pop()!;
    await consumer.stop();
    const admin = kafka.admin();
    await admin.connect();
    for (const topic of new Set(Object.values(incoming).map((d) => d.topic))) {
      await admin.resetOffsets({ groupId, topic, earliest: true });
    }
    await admin.disconnect();

    await startConsumerInstance();
    // The broker redelivers all 7 events the group had applied; the inbox must skip every one.
    await waitFor(
      'every event redelivered',
      async () => (await counter('consumer_duplicates_total')) - before.duplicates >= 7,
    );
    // A re-sent request and purchase carry new event ids: the per-sale and per-purchase records stop them.
    const processed = await counter('consumer_processed_total');
    await send(consumedTypes.saleRequested, sale(`sale-3-${run}`, [line(boxLevel, 1, 24)]));
    await send(consumedTypes.purchaseRecorded, purchase(`purchase-${run}`, [line(boxLevel, 2, 24)]));
    await waitFor('re-sent events consumed', async () => (await counter('consumer_processed_total')) - processed >= 2);

    expect(await stockOf()).toBe(before.stock);
    expect(await movementsOf()).toBe(before.movements);
    expect(await ledgerOf()).toBe(before.stock);
  });

  test('a purchase naming an unknown unit level, or an id products never issued, is dead-lettered and the next one still applies', async () => {
    const before = await stockOf();
    const bogus = purchase(`purchase-bogus-${run}`, [line(randomUUID(), 1, 24)]);
    // Not a UUID: a malformed event, refused before any lookup (not retried as if the database had failed).
    const malformed = purchase(`purchase-malformed-${run}`, [line('not-a-uuid', 1, 24)]);
    await send(consumedTypes.purchaseRecorded, bogus);
    await send(consumedTypes.purchaseRecorded, malformed);
    await send(consumedTypes.purchaseRecorded, purchase(`purchase-after-${run}`, [line(pieceLevel, 6, 1)]));
    await waitFor('the next purchase applied', async () => (await stockOf()) === before + 6);
    const dead = await readTopic(kafka, `${incoming[consumedTypes.purchaseRecorded]!.topic}.dlq`, 2);
    // Keyed by purchase, the two may land on different partitions of the dead-letter topic: compare them as a set.
    const letters = dead.map((d) => [d.message.key?.toString(), d.message.headers?.['dlq-reason']?.toString()]);
    expect(letters.sort()).toEqual(
      [
        [bogus.aggregateId, 'rejected'],
        [malformed.aggregateId, 'rejected'],
      ].sort(),
    );
    expect(await db('purchase_receipts').whereIn('purchase_id', [bogus.aggregateId, malformed.aggregateId])).toEqual(
      [],
    );
  });

  test("products' events leave through the outbox and decode from Kafka through the registry", async () => {
    await waitFor(
      'outbox drained',
      async () => Number((await db('event_outbox').whereNull('published_at').count({ n: '*' }).first())?.n) === 0,
    );
    const reservations = await readTopic(kafka, topicOf('tulity.products.StockReserved'), 3, registryUrl);
    const decoded = reservations.map((m) => m.decoded);
    expect(decoded.map((e) => e.aggregateId)).toEqual([`sale-1-${run}`, `sale-2-${run}`, `sale-3-${run}`]);
    expect(decoded[0].lines.map((l: any) => [Number(l.quantity), Number(l.baseQuantity)])).toEqual([
      [1, 24],
      [4, 4],
    ]);
    expect(decoded[1].reason).toBe('insufficient-stock');
    expect(decoded[1].shortages.map((s: any) => [Number(s.requestedBase), Number(s.availableBase)])).toEqual([
      [24, 20],
    ]);

    const movements = await movementsOf();
    const stockEvents = (await readTopic(kafka, topicOf('tulity.products.StockChanged'), movements, registryUrl)).map(
      (m) => m.decoded,
    );
    const changes = stockEvents.filter((e) => e.aggregateId === productId && 'deltaBase' in e);
    expect(changes.map((e) => [e.reason, Number(e.deltaBase), Number(e.onHandBase)])).toEqual([
      ['purchase', 48, 48],
      ['reservation', -28, 20],
      ['release', 28, 48],
      ['reservation', -24, 24],
      ['purchase', 6, 30],
    ]);
    const productEvents = (await readTopic(kafka, topicOf('tulity.products.ProductCreated'), 4, registryUrl)).map(
      (m) => m.decoded,
    );
    expect(productEvents[0].sku).toBe(`E2E-${run}`);
    expect(new Set([...decoded, ...stockEvents, ...productEvents].map((e) => e.eventId)).size).toBe(
      decoded.length + stockEvents.length + productEvents.length,
    );
  });
});

describe('racing for the last units', () => {
  test('concurrent sales on two consumer instances and concurrent manual adjustments never oversell', async () => {
    const racer = await buildCatalogue(api, `RACE-${run}`);
    const racerId = racer.product.id;
    await api.call('POST', `/api/v1/products/${racerId}/stock/adjustments`, {
      body: { delta: 100, reason: 'opening count' },
    });
    await startConsumerInstance();

    const sales = Array.from({ length: 30 }, (_, i) => `race-${i}-${run}`);
    const [adjustments] = await Promise.all([
      Promise.all(
        Array.from({ length: 10 }, () =>
          api.call('POST', `/api/v1/products/${racerId}/stock/adjustments`, { body: { delta: -5, reason: 'damaged' } }),
        ),
      ),
      Promise.all(
        sales.map((saleId) =>
          send(consumedTypes.saleRequested, sale(saleId, [line(racer.pieceLevel.id, 7, 1, racerId)])),
        ),
      ),
    ]);
    await waitFor(
      'every racing sale decided',
      async () =>
        Number((await db('stock_reservations').whereIn('sale_id', sales).count({ n: '*' }).first())?.n) ===
        sales.length,
      90_000,
    );

    const reserved = Number(
      (await db('stock_reservations').whereIn('sale_id', sales).where({ status: 'reserved' }).count({ n: '*' }).first())
        ?.n,
    );
    const adjusted = adjustments.filter((r) => r.status === 201).length;
    const stock = await stockOf(racerId);
    expect(stock >= 0).toBe(true);
    expect(stock).toBe(100 - 7 * reserved - 5 * adjusted);
    expect(await ledgerOf(racerId)).toBe(stock);
    // Whatever the interleaving, what remains is less than one more sale or adjustment could take.
    expect(stock < 7 || reserved === sales.length).toBe(true);
    expect(
      reserved +
        Number(
          (
            await db('stock_reservations')
              .whereIn('sale_id', sales)
              .where({ status: 'rejected' })
              .count({ n: '*' })
              .first()
          )?.n,
        ),
    ).toBe(sales.length);
  });
});
