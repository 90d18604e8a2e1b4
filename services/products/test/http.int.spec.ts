import { afterAll, beforeAll, beforeEach, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import { announceDuePrices } from '../src/application/manage-prices';
import { KnexUnitOfWork } from '../src/adapters/postgres/knex-tx';
import { recordEvents } from '../src/main';
import * as schemas from '../src/adapters/http/schemas';
import { buildCatalogue, emptyTables, startApi, testDatabase, type Api } from './harness';

let db: Knex;
let api: Api;

beforeAll(async () => {
  db = await testDatabase();
  api = await startApi(db);
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});
beforeEach(() => emptyTables(db));

const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);
const fields = (body: any) => (body.errors ?? []).map((e: { field: string }) => e.field);

describe('an admin builds a product', () => {
  test('with category, units, unit levels and prices, and each change is in the outbox', async () => {
    const built = await buildCatalogue(api);

    const detail = await api.request('GET', `/api/v1/products/${built.product.id}`, { role: 'cashier' });
    assert.equal(detail.status, 200);
    assert.equal(detail.body.sku, 'COLA-033');
    assert.deepEqual(detail.body.unitLevels.map((l: any) => [l.unitName, l.factor, l.isBase]), [['piece COLA-033', 1, true], ['box COLA-033', 24, false]]);
    assert.deepEqual(detail.body.currentPrices.map((p: any) => p.sellPrice).sort(), [150, 3200]);
    assert.deepEqual(detail.body.stock, { ...detail.body.stock, quantity: 0, reserved: 0, lowStockThreshold: 10, low: true });
    // What the OpenAPI document promises is what is sent.
    assert.deepEqual(schemas.productDetail.safeParse(detail.body).error, undefined);
    const list = await api.request('GET', '/api/v1/products/' + built.product.id + '/prices');
    assert.deepEqual(schemas.pageOf(schemas.priceBody).safeParse(list.body).error, undefined);

    const outbox = await db('event_outbox').orderBy('id').select('event_type', 'topic', 'key', 'payload');
    assert.deepEqual(outbox.map((r) => r.event_type), [
      'tulity.products.ProductCreated', 'tulity.products.ProductUpdated', 'tulity.products.PriceChanged', 'tulity.products.PriceChanged',
    ]);
    assert.ok(outbox.every((r) => r.key === built.product.id));
    const updated = outbox[1]!.payload;
    assert.deepEqual(updated.unitLevels.map((l: any) => [l.unitName, l.conversionFactor]), [['piece COLA-033', 1], ['box COLA-033', 24]]);
    assert.equal(updated.categoryName, 'Drinks COLA-033');
  });

  test('a new price supersedes the old one and both stay in the history', async () => {
    const { product, pieceLevel } = await buildCatalogue(api);
    const raised = await api.request('POST', `/api/v1/products/${product.id}/prices`, { body: { unitLevelId: pieceLevel.id, sellPrice: 175, buyPrice: 95 } });
    assert.equal(raised.status, 201);
    const history = await api.request('GET', `/api/v1/products/${product.id}/prices?unitLevelId=${pieceLevel.id}`);
    assert.equal(history.body.total, 2);
    const detail = await api.request('GET', `/api/v1/products/${product.id}`);
    assert.equal(detail.body.currentPrices.find((p: any) => p.unitLevelId === pieceLevel.id).sellPrice, 175);
    const changed = await db('event_outbox').where({ event_type: 'tulity.products.PriceChanged' }).orderBy('id', 'desc').first();
    assert.deepEqual([changed.payload.previousPriceMinor, changed.payload.priceMinor], [150, 175]);
  });

  test('a scheduled price can change until it takes effect, and is announced when it does; an effective one cannot change', async () => {
    const { product, pieceLevel, piecePrice } = await buildCatalogue(api);
    const future = await api.request('POST', `/api/v1/products/${product.id}/prices`, { body: { unitLevelId: pieceLevel.id, sellPrice: 199, buyPrice: 95, effectiveFrom: '2099-01-01T00:00:00Z' } });
    const patched = await api.request('PATCH', `/api/v1/products/${product.id}/prices/${future.body.id}`, { body: { sellPrice: 189 } });
    assert.equal(patched.body.sellPrice, 189);
    const locked = await api.request('PATCH', `/api/v1/products/${product.id}/prices/${piecePrice.id}`, { body: { sellPrice: 1 } });
    assert.equal(locked.status, 409);
    assert.equal(locked.body.code, 'PRICE.ALREADY_EFFECTIVE');
    const detail = await api.request('GET', `/api/v1/products/${product.id}`);
    assert.equal(detail.body.currentPrices.find((p: any) => p.unitLevelId === pieceLevel.id).sellPrice, 150);

    const announcements = () => db('event_outbox').where({ event_type: 'tulity.products.PriceChanged' }).orderBy('id').select('payload');
    assert.equal((await announcements()).length, 2);
    const uow = new KnexUnitOfWork(db, recordEvents());
    const at2099 = { occurredAt: new Date('2099-01-01T00:00:01Z'), correlationId: randomUUID(), newId: randomUUID };
    assert.equal(await uow.run((tx) => announceDuePrices(tx, at2099)), 1);
    assert.equal(await uow.run((tx) => announceDuePrices(tx, at2099)), 0);
    const last = (await announcements()).at(-1)!.payload;
    assert.deepEqual([last.previousPriceMinor, last.priceMinor], [150, 189]);
  });
});

describe('roles', () => {
  test('a cashier reads but cannot write; no token is a 401', async () => {
    assert.equal((await api.request('GET', '/api/v1/categories', { role: 'cashier' })).status, 200);
    const refused = await api.request('POST', '/api/v1/categories', { role: 'cashier', body: { name: 'X' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'AUTH.FORBIDDEN');
    assert.equal((await api.request('GET', '/api/v1/products', { role: null })).status, 401);
    assert.equal((await api.request('POST', '/api/v1/categories', { role: 'manager', body: { name: 'Y' } })).status, 201);
    assert.equal(await count('categories'), 1);
  });
});

describe('bad input is refused with per-field errors and nothing written', () => {
  test('zero or negative conversion factors', async () => {
    const { product, box } = await buildCatalogue(api);
    const levelsBefore = await count('product_unit_levels');
    for (const factor of [0, -24, 2.5]) {
      const response = await api.request('POST', `/api/v1/products/${product.id}/unit-levels`, { body: { unitId: box.id, factor } });
      assert.equal(response.status, 400);
      assert.deepEqual(fields(response.body), ['factor']);
    }
    assert.equal(await count('product_unit_levels'), levelsBefore);
  });

  test('negative prices', async () => {
    const { product, pieceLevel } = await buildCatalogue(api);
    const pricesBefore = await count('product_unit_prices');
    const response = await api.request('POST', `/api/v1/products/${product.id}/prices`, { body: { unitLevelId: pieceLevel.id, sellPrice: -1, buyPrice: -5 } });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response.body).sort(), ['buyPrice', 'sellPrice']);
    assert.equal(await count('product_unit_prices'), pricesBefore);
  });

  test('unknown category or unit', async () => {
    const { category, piece } = await buildCatalogue(api);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const noCategory = await api.request('POST', '/api/v1/products', { body: { sku: 'X1', name: 'X', categoryId: ghost, baseUnitId: piece.id } });
    assert.equal(noCategory.status, 400);
    assert.deepEqual(fields(noCategory.body), ['categoryId']);
    const noUnit = await api.request('POST', '/api/v1/products', { body: { sku: 'X1', name: 'X', categoryId: category.id, baseUnitId: ghost } });
    assert.equal(noUnit.status, 400);
    assert.deepEqual(fields(noUnit.body), ['baseUnitId']);
    assert.equal(await count('products'), 1);
  });

  test('duplicate sku or barcode', async () => {
    const { category, piece, product } = await buildCatalogue(api);
    const sameSku = await api.request('POST', '/api/v1/products', { body: { sku: product.sku, name: 'X', categoryId: category.id, baseUnitId: piece.id } });
    assert.equal(sameSku.status, 409);
    assert.equal(sameSku.body.code, 'PRODUCT.SKU_TAKEN');
    assert.deepEqual(fields(sameSku.body), ['sku']);
    const sameBarcode = await api.request('POST', '/api/v1/products', { body: { sku: 'OTHER', barcode: product.barcode, name: 'X', categoryId: category.id, baseUnitId: piece.id } });
    assert.equal(sameBarcode.status, 409);
    assert.deepEqual(fields(sameBarcode.body), ['barcode']);
    assert.equal(await count('products'), 1);
    assert.equal(await count('product_stock'), 1);
    assert.equal(await count('event_outbox'), 4);
  });

  test("a unit level of another product in a price", async () => {
    const cola = await buildCatalogue(api, 'COLA');
    const chips = await buildCatalogue(api, 'CHIPS');
    const pricesBefore = await count('product_unit_prices');
    const response = await api.request('POST', `/api/v1/products/${chips.product.id}/prices`, { body: { unitLevelId: cola.boxLevel.id, sellPrice: 100, buyPrice: 50 } });
    assert.equal(response.status, 400);
    assert.deepEqual(fields(response.body), ['unitLevelId']);
    assert.equal(await count('product_unit_prices'), pricesBefore);
  });

  test('unknown fields, malformed ids and a bad sort', async () => {
    const unknownField = await api.request('POST', '/api/v1/categories', { body: { name: 'A', colour: 'red' } });
    assert.deepEqual(fields(unknownField.body), ['colour']);
    assert.equal((await api.request('GET', '/api/v1/products/not-a-uuid')).status, 404);
    const badSort = await api.request('GET', '/api/v1/products?sort=price');
    assert.equal(badSort.status, 400);
    assert.deepEqual(fields(badSort.body), ['sort']);
  });
});

describe('deletes are refused while referenced', () => {
  test('category, unit, unit level with prices, base level, product with stock', async () => {
    const { category, piece, product, boxLevel, pieceLevel, boxPrice } = await buildCatalogue(api);
    const expectConflict = async (path: string, code: string) => {
      const response = await api.request('DELETE', path);
      assert.equal(response.status, 409, path);
      assert.equal(response.body.code, code);
    };
    await expectConflict(`/api/v1/categories/${category.id}`, 'CATEGORY.IN_USE');
    await expectConflict(`/api/v1/units/${piece.id}`, 'UNIT.IN_USE');
    await expectConflict(`/api/v1/products/${product.id}/unit-levels/${boxLevel.id}`, 'UNIT_LEVEL.IN_USE');
    await expectConflict(`/api/v1/products/${product.id}/unit-levels/${pieceLevel.id}`, 'UNIT_LEVEL.IS_BASE');
    await api.request('POST', `/api/v1/products/${product.id}/stock/adjustments`, { body: { delta: 5, reason: 'count' } });
    await expectConflict(`/api/v1/products/${product.id}`, 'PRODUCT.IN_USE');

    await api.request('POST', `/api/v1/products/${product.id}/stock/adjustments`, { body: { delta: -5, reason: 'count' } });
    assert.equal((await api.request('DELETE', `/api/v1/products/${product.id}/prices/${boxPrice.id}`)).status, 409);
    assert.equal((await api.request('DELETE', `/api/v1/products/${product.id}`)).status, 204);
    assert.equal((await api.request('DELETE', `/api/v1/categories/${category.id}`)).status, 204);
    assert.equal((await api.request('DELETE', `/api/v1/units/${piece.id}`)).status, 204);
    assert.equal(await count('product_unit_prices'), 0);
    const deleted = await db('event_outbox').where({ event_type: 'tulity.products.ProductDeleted' }).first();
    assert.equal(deleted.payload.sku, product.sku);
  });
});

describe('stock by hand', () => {
  test('adjustments carry their reason into the ledger and stock equals the sum of movements', async () => {
    const { product } = await buildCatalogue(api);
    const path = `/api/v1/products/${product.id}/stock/adjustments`;
    assert.equal((await api.request('POST', path, { body: { delta: 20, reason: 'opening count' } })).body.quantity, 20);
    const after = await api.request('POST', path, { body: { delta: -12, reason: 'broken bottles' } });
    assert.deepEqual([after.body.quantity, after.body.low], [8, true]);
    const tooMuch = await api.request('POST', path, { body: { delta: -9, reason: 'theft' } });
    assert.equal(tooMuch.status, 409);
    assert.equal(tooMuch.body.code, 'STOCK.INSUFFICIENT');
    const noReason = await api.request('POST', path, { body: { delta: 1, reason: ' ' } });
    assert.deepEqual(fields(noReason.body), ['reason']);

    const ledger = await api.request('GET', `/api/v1/products/${product.id}/stock-movements`, { role: 'cashier' });
    assert.deepEqual(ledger.body.items.map((m: any) => [m.delta, m.balanceAfter, m.reason, m.note]), [
      [-12, 8, 'manual_adjustment', 'broken bottles'],
      [20, 20, 'manual_adjustment', 'opening count'],
    ]);
    const low = await db('event_outbox').where({ event_type: 'tulity.products.LowStock' });
    assert.deepEqual(low.map((r) => [r.payload.availableBase, r.payload.thresholdBase]), [[8, 10]]);
  });

  test('concurrent adjustments never take stock below zero', async () => {
    const { product } = await buildCatalogue(api);
    const path = `/api/v1/products/${product.id}/stock/adjustments`;
    await api.request('POST', path, { body: { delta: 10, reason: 'count' } });
    const results = await Promise.all(Array.from({ length: 16 }, () => api.request('POST', path, { body: { delta: -1, reason: 'sold by hand' } })));
    assert.deepEqual(results.map((r) => r.status).sort(), [...Array(10).fill(201), ...Array(6).fill(409)]);
    const stock = await api.request('GET', `/api/v1/products/${product.id}/stock`);
    assert.equal(stock.body.quantity, 0);
    const ledger = await db('stock_movements').where({ product_id: product.id }).sum({ sum: 'delta' }).first();
    assert.equal(Number(ledger?.sum), 0);
  });
});

describe('lists', () => {
  test('page, search, filter and sort', async () => {
    const cola = await buildCatalogue(api, 'COLA');
    await buildCatalogue(api, 'CHIPS');
    await buildCatalogue(api, 'WATER');
    await api.request('PATCH', `/api/v1/products/${cola.product.id}`, { body: { active: false } });

    const firstPage = await api.request('GET', '/api/v1/products?pageSize=2&sort=-sku', { role: 'cashier' });
    assert.deepEqual([firstPage.body.total, firstPage.body.items.map((p: any) => p.sku)], [3, ['WATER', 'COLA']]);
    const secondPage = await api.request('GET', '/api/v1/products?pageSize=2&page=2&sort=-sku');
    assert.deepEqual(secondPage.body.items.map((p: any) => p.sku), ['CHIPS']);
    const search = await api.request('GET', '/api/v1/products?q=hip');
    assert.deepEqual(search.body.items.map((p: any) => p.sku), ['CHIPS']);
    const inactive = await api.request('GET', '/api/v1/products?active=false');
    assert.deepEqual(inactive.body.items.map((p: any) => p.sku), ['COLA']);
    const inCategory = await api.request('GET', `/api/v1/products?categoryId=${cola.category.id}`);
    assert.deepEqual(inCategory.body.items.map((p: any) => p.sku), ['COLA']);
    const units = await api.request('GET', '/api/v1/units?q=box&sort=name');
    assert.deepEqual(units.body.items.map((u: any) => u.name), ['box CHIPS', 'box COLA', 'box WATER']);
    const badPage = await api.request('GET', '/api/v1/categories?page=0');
    assert.deepEqual(fields(badPage.body), ['page']);
  });

  test('the OpenAPI document lists every route with its schemas', async () => {
    const response = await api.request('GET', '/openapi.json', { role: null });
    const doc = response.body;
    assert.ok(doc.paths['/api/v1/products/{id}/stock-movements'].get);
    assert.deepEqual(doc.paths['/api/v1/products/{id}/unit-levels'].post.requestBody.content['application/json'].schema.required, ['unitId', 'factor']);
    assert.ok(doc.paths['/api/v1/products'].get.parameters.some((p: any) => p.name === 'lowStock'));
    assert.ok(doc.paths['/api/v1/products/{id}'].get.responses['200'].content['application/json'].schema.properties.stock);
  });
});
