import { beforeEach, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { createCategory } from '../src/application/manage-categories';
import { announceDuePrices, setPrice, updatePrice } from '../src/application/manage-prices';
import { createProduct } from '../src/application/manage-products';
import { createUnit } from '../src/application/manage-units';
import { InMemoryStore, testContext } from './in-memory-tx';

const now = new Date('2026-06-01T10:00:00Z');
const ctx = testContext(now);
let store: InMemoryStore;
let productId: string;
let levelId: string;

beforeEach(async () => {
  store = new InMemoryStore();
  await store.run(async (tx) => {
    const category = await createCategory(tx, ctx, { name: 'Drinks' });
    const piece = await createUnit(tx, ctx, { name: 'piece', abbreviation: 'pc' });
    productId = (await createProduct(tx, ctx, { sku: 'COLA', name: 'Cola', categoryId: category.id, baseUnitId: piece.id })).id;
  });
  levelId = [...store.state.levels.values()][0]!.id;
});

const price = (sellPrice: number, effectiveFrom?: string) =>
  store.run((tx) => setPrice(tx, ctx, productId, { unitLevelId: levelId, sellPrice, buyPrice: 1, currency: 'EUR', effectiveFrom: effectiveFrom ? new Date(effectiveFrom) : undefined }));
const announced = () => store.eventsOf('PriceChanged').map((e) => e.price.sellPrice);

test('a price effective at once is announced at once', async () => {
  await price(150);
  assert.deepEqual(announced(), [150]);
});

test('a scheduled price is announced when it takes effect, once', async () => {
  await price(150);
  const scheduled = await price(199, '2026-07-01T00:00:00Z');
  await store.run((tx) => updatePrice(tx, ctx, productId, scheduled.id, { sellPrice: 189 }));
  assert.deepEqual(announced(), [150]);
  assert.equal(await store.run((tx) => announceDuePrices(tx, testContext(new Date('2026-06-30T00:00:00Z')))), 0);
  assert.equal(await store.run((tx) => announceDuePrices(tx, testContext(new Date('2026-07-01T00:00:01Z')))), 1);
  assert.equal(await store.run((tx) => announceDuePrices(tx, testContext(new Date('2026-07-02T00:00:00Z')))), 0);
  assert.deepEqual(announced(), [150, 189]);
});

test('a backdated price is history, not a price change', async () => {
  await price(150, '2026-05-01T00:00:00Z');
  await price(120, '2026-01-01T00:00:00Z');
  assert.deepEqual(announced(), [150]);
});
