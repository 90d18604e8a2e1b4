// Runs of events as products' consumer applies them, in the real Postgres. Each run is one
// transaction that keeps every stock lock until it commits: two partitions' runs over the same
// products in opposite orders deadlock (run A holds cola and waits for chips, run B the reverse),
// so a run locks its stock rows first, in one order. And the events its handlers record go into
// the outbox as one insert after the last of them, not one or more per event.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { IncomingEvent } from '@tulity/adapters/events/consumer';
import { inbox } from '@tulity/adapters/events/consumer/inbox';
import type { Knex } from '@tulity/adapters/postgres/database';
import { applyInterleaved, failedCodes } from '@tulity/adapters/testing/interleaved-runs';
import { consumedTypes, stockNamedBy } from '../src/adapters/kafka/handlers';
import { consumerRun } from '../src/main';
import {
  buildCatalogue,
  emptyTables,
  productsDatabase,
  startProducts,
  statementsOf,
  type ProductsApi,
} from './harness';

let db: Knex;
let api: ProductsApi;
let cola: { productId: string; levelId: string };
let chips: { productId: string; levelId: string };

beforeAll(async () => {
  db = await productsDatabase();
  await emptyTables(db);
  api = await startProducts(db);
  const product = async (sku: string) => {
    const built = await buildCatalogue(api, sku);
    return { productId: built.product.id as string, levelId: built.pieceLevel.id as string };
  };
  cola = await product('RUN-COLA');
  chips = await product('RUN-CHIPS');
});
afterAll(async () => {
  await api.close();
  await emptyTables(db);
  await db.destroy();
});

const purchase = (...products: Array<typeof cola>): IncomingEvent => {
  const purchaseId = randomUUID();
  return {
    type: consumedTypes.purchaseRecorded,
    topic: 'transactions.purchase',
    partition: 0,
    offset: '0',
    key: purchaseId,
    eventId: randomUUID(),
    payload: {
      aggregateId: purchaseId,
      correlationId: randomUUID(),
      occurredAt: Date.now(),
      lines: products.map(({ productId, levelId }) => ({ productId, unitLevelId: levelId, quantity: 1 })),
    },
  };
};

const stockOf = async (productId: string) =>
  Number((await db('product_stock').where({ product_id: productId }).first('quantity')).quantity);

test('event by event, runs over the same products in opposite orders deadlock (the case guarded below)', async () => {
  const outcomes = await applyInterleaved(db, consumerRun(db).handlers, {}, [
    [purchase(cola), purchase(chips)],
    [purchase(chips), purchase(cola)],
  ]);
  expect(failedCodes(outcomes)).toEqual(['40P01']);
});

test('locked first, the same runs queue and both commit', async () => {
  const before = [await stockOf(cola.productId), await stockOf(chips.productId)];
  const run = consumerRun(db);
  const outcomes = await applyInterleaved(db, run.handlers, run, [
    [purchase(cola), purchase(chips)],
    [purchase(chips), purchase(cola)],
  ]);
  expect(failedCodes(outcomes)).toEqual([]);
  expect([await stockOf(cola.productId), await stockOf(chips.productId)]).toEqual(before.map((q) => q + 2));
});

test('what a run locks first: the products its lines name and those its settled sales reserved', () => {
  const saleId = randomUUID();
  const settle = (type: string, aggregateId: string) => ({ ...purchase(), type, payload: { aggregateId } });
  expect(
    stockNamedBy([
      purchase(cola),
      settle(consumedTypes.saleConfirmed, saleId),
      settle(consumedTypes.saleCancelled, 'sale-2'),
      { ...purchase(), payload: { aggregateId: 'x', lines: [{ productId: 'not-an-id' }] } },
    ]),
  ).toEqual({ productIds: [cola.productId], saleIds: [saleId, 'sale-2'] });
});

test('a run writes the events its handlers record in one outbox insert, in order, after its last event', async () => {
  const run = consumerRun(db);
  const events = [purchase(cola), purchase(chips), purchase(cola, chips)];
  const statements = await statementsOf(db, () =>
    db.transaction((trx) => inbox(`runs-${randomUUID()}`, run.handlers, run)(trx, events)),
  );
  const inserts = statements.filter((sql) => sql.startsWith('insert into "event_outbox"'));
  expect([inserts.length, statements.at(-2)]).toEqual([1, inserts[0]]);
  const correlations = events.map((event) => String(event.payload.correlationId));
  const written = await db('event_outbox')
    .whereIn('correlation_id', correlations)
    .orderBy('id')
    .pluck('correlation_id');
  // A stock change per product of each purchase: the last one names two products.
  expect(written).toEqual([correlations[0], correlations[1], correlations[2], correlations[2]]);
});
