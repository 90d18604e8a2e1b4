// Two partitions' runs in the real Postgres that touch the same two products in opposite orders.
// Each run is one transaction that keeps every stock lock until it commits: run A holds cola and
// waits for chips while run B holds chips and waits for cola, and Postgres kills one of them.
// Products locks a run's stock rows first, in one order, so the second run queues instead.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { IncomingEvent } from '@tulity/adapters/events/consumer';
import type { Knex } from '@tulity/adapters/postgres/database';
import { applyInterleaved, failedCodes } from '@tulity/adapters/testing/interleaved-runs';
import { consumedTypes, eventHandlers, stockNamedBy } from '../src/adapters/kafka/handlers';
import { lockStockAhead } from '../src/adapters/postgres/stock.repository';
import { buildUseCases, productsDeps } from '../src/main';
import { buildCatalogue, emptyTables, productsDatabase, startProducts, type ProductsApi } from './harness';

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

const handlers = () => {
  const { uow, ...rest } = productsDeps(db);
  return eventHandlers((trx) => buildUseCases({ ...rest, uow: uow.joining(trx) }));
};
const lockFirst = (trx: Knex.Transaction, run: IncomingEvent[]) => lockStockAhead(trx, stockNamedBy(run));

const stockOf = async (productId: string) =>
  Number((await db('product_stock').where({ product_id: productId }).first('quantity')).quantity);

test('event by event, runs over the same products in opposite orders deadlock (the case guarded below)', async () => {
  const outcomes = await applyInterleaved(db, handlers(), undefined, [
    [purchase(cola), purchase(chips)],
    [purchase(chips), purchase(cola)],
  ]);
  expect(failedCodes(outcomes)).toEqual(['40P01']);
});

test('locked first, the same runs queue and both commit', async () => {
  const before = [await stockOf(cola.productId), await stockOf(chips.productId)];
  const outcomes = await applyInterleaved(db, handlers(), lockFirst, [
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
