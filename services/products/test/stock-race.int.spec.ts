// Races forced at the database: many reservation transactions and manual adjustments at once,
// each in its own Postgres transaction, the way several consumer instances and API requests
// would run them.
import { afterAll, beforeAll, beforeEach, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import { adjustStock } from '../src/application/adjust-stock';
import type { Context } from '../src/application/ports';
import { reserveStock } from '../src/application/reserve-stock';
import { KnexUnitOfWork } from '../src/adapters/postgres/knex-tx';
import { recordEvents } from '../src/main';
import { buildCatalogue, emptyTables, startApi, testDatabase, type Api } from './harness';

let db: Knex;
let api: Api;
let uow: KnexUnitOfWork;
const ctx = (): Context => ({ occurredAt: new Date(), correlationId: randomUUID(), newId: randomUUID });

beforeAll(async () => {
  db = await testDatabase();
  api = await startApi(db);
  uow = new KnexUnitOfWork(db, recordEvents());
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});
beforeEach(() => emptyTables(db));

async function productWithStock(sku: string, quantity: number) {
  const built = await buildCatalogue(api, sku);
  await uow.run((tx) => adjustStock(tx, ctx(), { productId: built.product.id, delta: quantity, reason: 'opening count' }));
  return { id: built.product.id, piece: built.pieceLevel.id as string };
}

const stockOf = async (id: string) => Number((await db('product_stock').where({ product_id: id }).first()).quantity);
const ledgerOf = async (id: string) => Number((await db('stock_movements').where({ product_id: id }).sum({ s: 'delta' }).first())?.s);

test('twenty sales racing for ten units, with adjustments in between: never oversold', async () => {
  const product = await productWithStock('LAST', 10);
  const [sales, adjustments] = await Promise.all([
    Promise.all(Array.from({ length: 20 }, (_, i) => uow.run((tx) => reserveStock(tx, ctx(), { saleId: `sale-${i}`, lines: [{ productId: product.id, unitLevelId: product.piece, quantity: 3 }] })))),
    Promise.allSettled(Array.from({ length: 4 }, () => uow.run((tx) => adjustStock(tx, ctx(), { productId: product.id, delta: -1, reason: 'damaged' })))),
  ]);
  const reserved = sales.filter((o) => o.kind === 'reserved').length;
  const adjusted = adjustments.filter((o) => o.status === 'fulfilled').length;
  const stock = await stockOf(product.id);
  assert.equal(stock, 10 - 3 * reserved - adjusted);
  assert.ok(stock >= 0 && stock < 3, `left ${stock}`);
  assert.equal(await ledgerOf(product.id), stock);
});

test('sales locking two products in opposite line order do not deadlock', async () => {
  const a = await productWithStock('A', 1000);
  const b = await productWithStock('B', 1000);
  const lineA = { productId: a.id, unitLevelId: a.piece, quantity: 1 };
  const lineB = { productId: b.id, unitLevelId: b.piece, quantity: 1 };
  const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) =>
    uow.run((tx) => reserveStock(tx, ctx(), { saleId: `pair-${i}`, lines: i % 2 ? [lineA, lineB] : [lineB, lineA] }))));
  const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
  assert.deepEqual(failures, []);
  assert.deepEqual([await stockOf(a.id), await stockOf(b.id)], [960, 960]);
});

test('the same sale requested by several transactions at once is reserved once', async () => {
  const product = await productWithStock('ONCE', 50);
  const outcomes = await Promise.all(Array.from({ length: 8 }, () =>
    uow.run((tx) => reserveStock(tx, ctx(), { saleId: 'same-sale', lines: [{ productId: product.id, unitLevelId: product.piece, quantity: 5 }] }))));
  assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['already-handled', 'already-handled', 'already-handled', 'already-handled', 'already-handled', 'already-handled', 'already-handled', 'reserved']);
  assert.equal(await stockOf(product.id), 45);
  const reservedEvents = await db('event_outbox').where({ event_type: 'tulity.products.StockReserved' }).count({ n: '*' }).first();
  assert.equal(Number(reservedEvents?.n), 1);
});
