// A confirmed sale's return through the real broker, registry and Postgres: SaleReturned (produced
// here as transactions writes it) puts the stock back once; a redelivered return, under its own
// event id or a new one, changes nothing; a return that does not fit the sale is dead-lettered.
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
const prefix = `products-returns-${run}`;
const ofThisRun = (definitions: Record<string, EventDefinition>) =>
  Object.fromEntries(
    Object.entries(definitions).map(([type, d]) => {
      const topic = `${prefix}.${d.topic}`;
      return [type, { ...d, topic, subject: `${topic}-${type}` }];
    }),
  );
const incoming = ofThisRun(consumerCatalogue());
const outgoing = ofThisRun(Object.fromEntries(eventsOf('products').map((e) => [e.type, e])));

const kafka = createKafka(brokers, prefix);
const logger = createLogger('products-returns-it');
const metrics = createMetrics('products');
const registry = createRegistryClient(registryUrl);
const groupId = prefix;

let db: Knex;
let api: ProductsApi;
let relay: Relay;
let producer: Producer;
let consumer: Consumer;
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
const line = (unitLevelId: string, quantity: number, factor: number) => ({
  productId,
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
  totalMinor: 0,
});
const saleReturned = (saleId: string, returnId: string, lines: ReturnType<typeof line>[]) => ({
  ...envelope(saleId),
  returnId,
  cashierId: 'cashier-1',
  returnedBy: 'manager-1',
  currency: 'EUR',
  refundMinor: 0,
  reason: 'damaged box',
  lines: lines.map((l) => ({
    saleLineId: randomUUID(),
    productId: l.productId,
    unitLevelId: l.unitLevelId,
    quantity: l.quantity,
    conversionFactor: l.conversionFactor,
    baseQuantity: l.baseQuantity,
    refundMinor: 0,
  })),
});

const stockOf = async () => Number((await db('product_stock').where({ product_id: productId }).first()).quantity);
const ledgerOf = async () =>
  Number((await db('stock_movements').where({ product_id: productId }).sum({ s: 'delta' }).first())?.s ?? 0);
const movementsOf = async () =>
  Number((await db('stock_movements').where({ product_id: productId }).count({ n: '*' }).first())?.n);
const statusOf = async (saleId: string) => (await db('stock_reservations').where({ sale_id: saleId }).first())?.status;
const counter = async (name: string) => {
  const values = (await (metrics.registry.getSingleMetric(name) as Counter).get()).values;
  return values.filter((v) => v.labels.group === groupId).reduce((sum, v) => sum + v.value, 0);
};
/** Waits until `count` more events than `before` were applied or skipped as duplicates. */
const handled = async () => (await counter('consumer_processed_total')) + (await counter('consumer_duplicates_total'));

/** A sale requested and confirmed through Kafka. */
async function confirmedSale(saleId: string, lines: ReturnType<typeof line>[]) {
  await send(consumedTypes.saleRequested, sale(saleId, lines));
  await send(consumedTypes.saleConfirmed, sale(saleId, lines));
  await waitFor(`${saleId} confirmed`, async () => (await statusOf(saleId)) === 'confirmed');
}

beforeAll(async () => {
  db = await productsDatabase();
  await emptyTables(db);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  api = await startProducts(db, outgoing);
  const built = await buildCatalogue(api, `RET-${run}`);
  productId = built.product.id;
  pieceLevel = built.pieceLevel.id;
  boxLevel = built.boxLevel.id;
  relay = startRelay({ service: 'products', db, kafka, registryUrl, catalogue: outgoing, logger, metrics });
  consumer = await startConsumerRole({ db, kafka, logger, metrics, registryUrl, groupId, incoming, outgoing });
  await send(consumedTypes.purchaseRecorded, {
    ...envelope(`purchase-${run}`),
    recordedBy: 'manager-1',
    supplierName: 'Acme',
    currency: 'EUR',
    supplierInvoiceNumber: 'INV-1',
    totalMinor: 0,
    lines: [line(boxLevel, 3, 24)].map(({ unitPriceMinor, ...l }) => ({ ...l, unitCostMinor: unitPriceMinor })),
  });
  await waitFor('purchase applied', async () => (await stockOf()) === 72);
});

afterAll(async () => {
  await consumer.stop();
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

describe('returns put stock back through Kafka', () => {
  test("a confirmed sale's return adds its stock back once; a redelivered return changes nothing", async () => {
    const saleId = `sale-1-${run}`;
    await confirmedSale(saleId, [line(boxLevel, 2, 24), line(pieceLevel, 4, 1)]);
    expect(await stockOf()).toBe(20);

    const returnId = randomUUID();
    // Part of the sale, so applying it a second time would still fit within what the sale took.
    const returned = saleReturned(saleId, returnId, [line(boxLevel, 1, 24), line(pieceLevel, 1, 1)]);
    await send(consumedTypes.saleReturned, returned);
    await waitFor('return applied', async () => (await stockOf()) === 45);
    expect(await ledgerOf()).toBe(45);
    const movements = await movementsOf();

    // The same event again (the inbox skips it), and the same return under a new event id (the
    // per-return record skips it).
    const before = await handled();
    await send(consumedTypes.saleReturned, returned);
    await send(consumedTypes.saleReturned, { ...returned, eventId: randomUUID() });
    await waitFor('redeliveries consumed', async () => (await handled()) - before >= 2);
    expect(await stockOf()).toBe(45);
    expect(await movementsOf()).toBe(movements);
    expect(await db('sale_returns').where({ sale_id: saleId })).toHaveLength(1);

    await waitFor(
      'outbox drained',
      async () => Number((await db('event_outbox').whereNull('published_at').count({ n: '*' }).first())?.n) === 0,
    );
    const changes = (await readTopic(kafka, outgoing['tulity.products.StockChanged']!.topic, movements, registryUrl))
      .map((m) => m.decoded)
      .filter((e) => e.aggregateId === productId && e.reason === 'return');
    expect(changes.map((e) => [Number(e.deltaBase), Number(e.onHandBase), e.referenceId])).toEqual([[25, 45, saleId]]);
  });

  test('a return naming what the sale did not take, or more than it took, is dead-lettered and the next one applies', async () => {
    const saleId = `sale-2-${run}`;
    await confirmedSale(saleId, [line(pieceLevel, 3, 1)]);
    const stock = await stockOf();
    const notInSale = saleReturned(saleId, randomUUID(), [line(boxLevel, 1, 24)]);
    const tooMany = saleReturned(saleId, randomUUID(), [line(pieceLevel, 4, 1)]);
    await send(consumedTypes.saleReturned, notInSale);
    await send(consumedTypes.saleReturned, tooMany);
    await send(consumedTypes.saleReturned, saleReturned(saleId, randomUUID(), [line(pieceLevel, 3, 1)]));
    await waitFor('the fitting return applied', async () => (await stockOf()) === stock + 3);
    const dead = await readTopic(kafka, `${incoming[consumedTypes.saleReturned]!.topic}.dlq`, 2);
    expect(dead.map((d) => d.message.headers?.['dlq-reason']?.toString())).toEqual(['rejected', 'rejected']);
    expect(await db('sale_returns').whereIn('return_id', [notInSale.returnId, tooMany.returnId])).toEqual([]);
    expect(await ledgerOf()).toBe(stock + 3);
  });
});
