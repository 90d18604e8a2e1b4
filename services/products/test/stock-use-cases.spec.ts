import { beforeEach, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import type { DomainError } from '../src/domain/errors';
import { adjustStock } from '../src/application/adjust-stock';
import { createCategory } from '../src/application/manage-categories';
import { createProduct, deleteProduct } from '../src/application/manage-products';
import { setPrice } from '../src/application/manage-prices';
import { addUnitLevel } from '../src/application/manage-unit-levels';
import { createUnit } from '../src/application/manage-units';
import { receivePurchase } from '../src/application/receive-purchase';
import { confirmReservation, releaseReservation } from '../src/application/release-reservation';
import { reserveStock } from '../src/application/reserve-stock';
import { InMemoryStore, testContext } from './in-memory-tx';

let store: InMemoryStore;
let productId: string;
let pieceLevel: string;
let boxLevel: string;
const ctx = testContext();

/** A cola sold per piece and per box of 24, threshold 10, with 50 pieces received. */
beforeEach(async () => {
  store = new InMemoryStore();
  await store.run(async (tx) => {
    const category = await createCategory(tx, ctx, { name: 'Drinks' });
    const piece = await createUnit(tx, ctx, { name: 'piece', abbreviation: 'pc' });
    const box = await createUnit(tx, ctx, { name: 'box', abbreviation: 'box' });
    const product = await createProduct(tx, ctx, { sku: 'COLA', name: 'Cola', categoryId: category.id, baseUnitId: piece.id, lowStockThreshold: 10 });
    productId = product.id;
    pieceLevel = [...store.state.levels.values()].find((l) => l.productId === productId && l.isBase)!.id;
    boxLevel = (await addUnitLevel(tx, ctx, productId, { unitId: box.id, factor: 24 })).id;
    await receivePurchase(tx, ctx, { purchaseId: 'purchase-0', lines: [{ productId, unitLevelId: pieceLevel, quantity: 50 }] });
  });
  store.state.events = [];
});

const stock = () => store.state.stock.get(productId);
const sale = (saleId: string, boxes: number, pieces = 0) => ({
  saleId,
  lines: [
    ...(boxes ? [{ productId, unitLevelId: boxLevel, quantity: boxes }] : []),
    ...(pieces ? [{ productId, unitLevelId: pieceLevel, quantity: pieces }] : []),
  ],
});

describe('reserve stock', () => {
  test('takes every line in base units and records stock reserved', async () => {
    const outcome = await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 1, 2)));
    assert.deepEqual(outcome, { kind: 'reserved' });
    assert.equal(stock(), 24);
    assert.deepEqual(store.eventsOf('StockReserved')[0]?.lines.map((l) => l.baseQuantity), [24, 2]);
    assert.equal(store.ledgerSum(productId), stock());
  });

  test('a second request for the same sale changes nothing', async () => {
    await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 1)));
    const again = await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 1)));
    assert.deepEqual(again, { kind: 'already-handled' });
    assert.equal(stock(), 26);
    assert.equal(store.eventsOf('StockReserved').length, 1);
  });

  test('rejects with per-line shortages and leaves stock untouched', async () => {
    const outcome = await store.run((tx) => reserveStock(tx, ctx, sale('sale-2', 2, 3)));
    assert.equal(outcome.kind, 'rejected');
    assert.equal(stock(), 50);
    assert.deepEqual(store.eventsOf('StockReservationRejected')[0]?.shortages.map((s) => [s.requested, s.available]), [[48, 50], [3, 50]]);
    assert.equal(store.eventsOf('StockChanged').length, 0);
  });

  test('racing sales for the last units: exactly one wins', async () => {
    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => store.run((tx) => reserveStock(tx, ctx, sale(id, 0, 30)))));
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['rejected', 'rejected', 'reserved']);
    assert.equal(stock(), 20);
  });

  test('crossing the threshold downward records low stock once', async () => {
    await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 1, 16)));
    await store.run((tx) => reserveStock(tx, ctx, sale('sale-2', 0, 5)));
    assert.deepEqual(store.eventsOf('LowStock').map((e) => [e.quantity, e.threshold]), [[10, 10]]);
  });
});

describe('release a reservation', () => {
  test('returns exactly what the sale took, once', async () => {
    await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 1, 2)));
    assert.deepEqual(await store.run((tx) => releaseReservation(tx, ctx, 'sale-1')), { kind: 'released' });
    assert.deepEqual(await store.run((tx) => releaseReservation(tx, ctx, 'sale-1')), { kind: 'nothing-reserved' });
    assert.equal(stock(), 50);
    assert.equal(store.ledgerSum(productId), 50);
  });

  test('a confirmed sale keeps its stock taken until it is cancelled', async () => {
    await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 1)));
    assert.equal(await store.run((tx) => confirmReservation(tx, ctx, 'sale-1')), true);
    assert.equal(await store.run((tx) => confirmReservation(tx, ctx, 'sale-1')), false);
    assert.equal(stock(), 26);
    await store.run((tx) => releaseReservation(tx, ctx, 'sale-1'));
    assert.equal(stock(), 50);
  });

  test('a rejected sale releases nothing', async () => {
    await store.run((tx) => reserveStock(tx, ctx, sale('sale-1', 3)));
    assert.deepEqual(await store.run((tx) => releaseReservation(tx, ctx, 'sale-1')), { kind: 'nothing-reserved' });
    assert.equal(stock(), 50);
  });

  test('a cancellation seen before its request keeps the sale from reserving later', async () => {
    await store.run((tx) => releaseReservation(tx, ctx, 'sale-late'));
    assert.deepEqual(await store.run((tx) => reserveStock(tx, ctx, sale('sale-late', 1))), { kind: 'already-handled' });
    assert.equal(stock(), 50);
  });
});

describe('receive a purchase', () => {
  test('adds stock in base units, once per purchase', async () => {
    const command = { purchaseId: 'purchase-1', lines: [{ productId, unitLevelId: boxLevel, quantity: 2 }] };
    assert.deepEqual(await store.run((tx) => receivePurchase(tx, ctx, command)), { kind: 'received' });
    assert.deepEqual(await store.run((tx) => receivePurchase(tx, ctx, command)), { kind: 'already-received' });
    assert.equal(stock(), 98);
    assert.deepEqual(store.eventsOf('StockChanged').map((e) => [e.reason, e.delta, e.quantity]), [['purchase', 48, 98]]);
  });

  test('a line with a unit level of another product is refused without claiming the purchase', async () => {
    const outcome = await store.run((tx) => receivePurchase(tx, ctx, { purchaseId: 'purchase-2', lines: [{ productId: 'other', unitLevelId: boxLevel, quantity: 1 }] }));
    assert.equal(outcome.kind, 'unknown-line');
    assert.equal(store.state.purchases.has('purchase-2'), false);
  });
});

describe('manual adjustment', () => {
  test('records the reason in the ledger', async () => {
    await store.run((tx) => adjustStock(tx, ctx, { productId, delta: -3, reason: 'broken bottles' }));
    assert.equal(stock(), 47);
    assert.equal(store.state.movements.at(-1)?.note, 'broken bottles');
    assert.equal(store.ledgerSum(productId), 47);
  });

  test('cannot take more than is in stock, and nothing is written', async () => {
    await assert.rejects(store.run((tx) => adjustStock(tx, ctx, { productId, delta: -51, reason: 'count' })), (e: DomainError) => e.code === 'STOCK.INSUFFICIENT');
    assert.equal(stock(), 50);
    assert.equal(store.state.movements.length, 1);
  });
});

describe('catalogue rules', () => {
  test('a product with stock cannot be deleted', async () => {
    await assert.rejects(store.run((tx) => deleteProduct(tx, ctx, productId)), (e: DomainError) => e.code === 'PRODUCT.IN_USE');
  });

  test('an unknown category is a field error and nothing is written', async () => {
    const before = store.state.products.size;
    await assert.rejects(
      store.run((tx) => createProduct(tx, ctx, { sku: 'X', name: 'X', categoryId: 'nope', baseUnitId: 'nope' })),
      (e: DomainError) => e.fields?.[0]?.field === 'categoryId',
    );
    assert.equal(store.state.products.size, before);
  });

  test("a price for another product's unit level is refused", async () => {
    const other = await store.run(async (tx) => {
      const p = await createProduct(tx, ctx, { sku: 'CHIPS', name: 'Chips', categoryId: [...store.state.categories.keys()][0]!, baseUnitId: [...store.state.units.keys()][0]! });
      return p.id;
    });
    await assert.rejects(
      store.run((tx) => setPrice(tx, ctx, other, { unitLevelId: boxLevel, sellPrice: 100, buyPrice: 50, currency: 'EUR' })),
      (e: DomainError) => e.fields?.[0]?.field === 'unitLevelId',
    );
    assert.equal(store.state.prices.size, 0);
  });
});
