// Races forced at the database: many reservation transactions and manual adjustments at once,
// each in its own Postgres transaction, the way several consumer instances and API requests
// would run them.
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import { buildUseCases, productsDeps, type UseCases } from '../src/main';
import { buildCatalogue, emptyTables, productsDatabase, startProducts, type ProductsApi } from './harness';

let db: Knex;
let api: ProductsApi;
let useCases: UseCases;
const correlation = () => ({ correlationId: randomUUID() });

beforeAll(async () => {
  db = await productsDatabase();
  api = await startProducts(db);
  useCases = buildUseCases(productsDeps(db));
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});
beforeEach(() => emptyTables(db));

async function productWithStock(sku: string, quantity: number) {
  const built = await buildCatalogue(api, sku);
  await useCases.adjustStock({
    ...correlation(),
    productId: built.product.id,
    delta: quantity,
    reason: 'opening count',
  });
  return { id: built.product.id as string, piece: built.pieceLevel.id as string };
}

const stockOf = async (id: string) => Number((await db('product_stock').where({ product_id: id }).first()).quantity);
const ledgerOf = async (id: string) =>
  Number((await db('stock_movements').where({ product_id: id }).sum({ s: 'delta' }).first())?.s);

test('twenty sales racing for ten units, with adjustments in between: never oversold', async () => {
  const product = await productWithStock('LAST', 10);
  const [sales, adjustments] = await Promise.all([
    Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        useCases.reserveStock({
          ...correlation(),
          saleId: `sale-${i}`,
          lines: [{ productId: product.id, unitLevelId: product.piece, quantity: 3 }],
        }),
      ),
    ),
    Promise.allSettled(
      Array.from({ length: 4 }, () =>
        useCases.adjustStock({ ...correlation(), productId: product.id, delta: -1, reason: 'damaged' }),
      ),
    ),
  ]);
  const reserved = sales.filter((o) => o.kind === 'reserved').length;
  const adjusted = adjustments.filter((o) => o.status === 'fulfilled').length;
  const stock = await stockOf(product.id);
  expect(stock).toBe(10 - 3 * reserved - adjusted);
  expect(stock >= 0 && stock < 3).toBe(true);
  expect(await ledgerOf(product.id)).toBe(stock);
});

test('sales locking two products in opposite line order do not deadlock', async () => {
  const a = await productWithStock('A', 1000);
  const b = await productWithStock('B', 1000);
  const lineA = { productId: a.id, unitLevelId: a.piece, quantity: 1 };
  const lineB = { productId: b.id, unitLevelId: b.piece, quantity: 1 };
  const outcomes = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) =>
      useCases.reserveStock({ ...correlation(), saleId: `pair-${i}`, lines: i % 2 ? [lineA, lineB] : [lineB, lineA] }),
    ),
  );
  const failures = outcomes
    .filter((o) => o.status === 'rejected')
    .map((o) => String((o as PromiseRejectedResult).reason));
  expect(failures).toEqual([]);
  expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([960, 960]);
});

test('the same sale requested by several transactions at once is reserved once', async () => {
  const product = await productWithStock('ONCE', 50);
  const outcomes = await Promise.all(
    Array.from({ length: 8 }, () =>
      useCases.reserveStock({
        ...correlation(),
        saleId: 'same-sale',
        lines: [{ productId: product.id, unitLevelId: product.piece, quantity: 5 }],
      }),
    ),
  );
  expect(outcomes.map((o) => o.kind).sort()).toEqual([...Array(7).fill('already-handled'), 'reserved']);
  expect(await stockOf(product.id)).toBe(45);
  const reservedEvents = await db('event_outbox')
    .where({ event_type: 'tulity.products.StockReserved' })
    .count({ n: '*' })
    .first();
  expect(Number(reservedEvents?.n)).toBe(1);
});
