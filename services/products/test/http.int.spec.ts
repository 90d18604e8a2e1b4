import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { catalogue } from '@tulity/contracts';
import { createLogger } from '@tulity/adapters/logger';
import type { Knex } from '@tulity/adapters/postgres/database';
import { announceDue } from '../src/adapters/price-announcer';
import { buildUseCases, productsDeps } from '../src/main';
import { productsDocument } from '../src/adapters/http/openapi';
import * as schemas from '../src/adapters/http/schemas';
import {
  buildCatalogue,
  emptyTables,
  productsDatabase,
  startProducts,
  statementsOf as statementsSentBy,
  type ProductsApi,
} from './harness';

let db: Knex;
let api: ProductsApi;

beforeAll(async () => {
  db = await productsDatabase();
  api = await startProducts(db);
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});
beforeEach(() => emptyTables(db));

const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);
const fields = (body: any) => (body.errors ?? []).map((e: { field: string }) => e.field);
const logger = createLogger('products-test');
/** The use cases over the test database, with time standing at `at`. */
const useCasesAt = (at: Date) => buildUseCases(productsDeps(db, catalogue, { now: () => at }));

describe('an admin builds a product', () => {
  test('with category, units, unit levels and prices, and each change is in the outbox', async () => {
    const built = await buildCatalogue(api);

    const detail = await api.call('GET', `/api/v1/products/${built.product.id}`, { role: 'cashier' });
    expect(detail.status).toBe(200);
    expect(detail.body.sku).toBe('COLA-033');
    expect(detail.body.unitLevels.map((l: any) => [l.unitName, l.factor, l.isBase])).toEqual([
      ['piece COLA-033', 1, true],
      ['box COLA-033', 24, false],
    ]);
    expect(detail.body.currentPrices.map((p: any) => p.sellPrice).sort()).toEqual([150, 3200]);
    expect(detail.body.stock).toMatchObject({ quantity: 0, reserved: 0, lowStockThreshold: 10, low: true });
    // What the OpenAPI document promises is what is sent.
    expect(schemas.productDetail.safeParse(detail.body).error).toBeUndefined();
    const list = await api.call('GET', `/api/v1/products/${built.product.id}/prices`);
    expect(schemas.pageOf(schemas.priceBody).safeParse(list.body).error).toBeUndefined();

    const outbox = await db('event_outbox').orderBy('id').select('event_type', 'topic', 'key', 'payload');
    expect(outbox.map((r) => r.event_type)).toEqual([
      'tulity.products.ProductCreated',
      'tulity.products.ProductUpdated',
      'tulity.products.PriceChanged',
      'tulity.products.PriceChanged',
    ]);
    expect(outbox.every((r) => r.key === built.product.id)).toBe(true);
    const updated = outbox[1]!.payload;
    expect(updated.unitLevels.map((l: any) => [l.unitName, l.conversionFactor])).toEqual([
      ['piece COLA-033', 1],
      ['box COLA-033', 24],
    ]);
    expect(updated.categoryName).toBe('Drinks COLA-033');
    expect(outbox[2]!.payload).toMatchObject({
      priceMinor: 150,
      buyPriceMinor: 90,
      previousPriceMinor: null,
      previousBuyPriceMinor: null,
    });
  });

  test('a new price supersedes the old one and both stay in the history', async () => {
    const { product, pieceLevel } = await buildCatalogue(api);
    const raised = await api.call('POST', `/api/v1/products/${product.id}/prices`, {
      body: { unitLevelId: pieceLevel.id, sellPrice: 175, buyPrice: 95 },
    });
    expect(raised.status).toBe(201);
    const history = await api.call('GET', `/api/v1/products/${product.id}/prices?unitLevelId=${pieceLevel.id}`);
    expect(history.body.total).toBe(2);
    const detail = await api.call('GET', `/api/v1/products/${product.id}`);
    expect(detail.body.currentPrices.find((p: any) => p.unitLevelId === pieceLevel.id).sellPrice).toBe(175);
    const changed = await db('event_outbox')
      .where({ event_type: 'tulity.products.PriceChanged' })
      .orderBy('id', 'desc')
      .first();
    expect(changed.payload).toMatchObject({
      previousPriceMinor: 150,
      priceMinor: 175,
      previousBuyPriceMinor: 90,
      buyPriceMinor: 95,
    });
  });

  test('a scheduled price can change until it takes effect, and is announced when it does; an effective one cannot change', async () => {
    const { product, pieceLevel, piecePrice } = await buildCatalogue(api);
    const future = await api.call('POST', `/api/v1/products/${product.id}/prices`, {
      body: { unitLevelId: pieceLevel.id, sellPrice: 199, buyPrice: 95, effectiveFrom: '2099-01-01T00:00:00Z' },
    });
    const patched = await api.call('PATCH', `/api/v1/products/${product.id}/prices/${future.body.id}`, {
      body: { sellPrice: 189 },
    });
    expect(patched.body.sellPrice).toBe(189);
    const locked = await api.call('PATCH', `/api/v1/products/${product.id}/prices/${piecePrice.id}`, {
      body: { sellPrice: 1 },
    });
    expect([locked.status, locked.body.code]).toEqual([409, 'PRICE.ALREADY_EFFECTIVE']);
    const detail = await api.call('GET', `/api/v1/products/${product.id}`);
    expect(detail.body.currentPrices.find((p: any) => p.unitLevelId === pieceLevel.id).sellPrice).toBe(150);

    const announcements = () =>
      db('event_outbox').where({ event_type: 'tulity.products.PriceChanged' }).orderBy('id').select('payload');
    expect(await announcements()).toHaveLength(2);
    const in2099 = useCasesAt(new Date('2099-01-01T00:00:01Z'));
    expect(await announceDue(in2099, logger)).toEqual({ announced: 1, due: 1 });
    expect(await announceDue(in2099, logger)).toEqual({ announced: 0, due: 0 });
    const last = (await announcements()).at(-1)!.payload;
    expect([last.previousPriceMinor, last.priceMinor, last.previousBuyPriceMinor, last.buyPriceMinor]).toEqual([
      150, 189, 90, 95,
    ]);
  });

  test('the announcer is never stuck behind a price it cannot announce: it sets it aside with the reason and goes on', async () => {
    const { product, pieceLevel, boxLevel } = await buildCatalogue(api);
    for (const [unitLevelId, sellPrice] of [
      [boxLevel.id, 3100],
      [pieceLevel.id, 140],
    ] as const) {
      const scheduled = await api.call('POST', `/api/v1/products/${product.id}/prices`, {
        body: { unitLevelId, sellPrice, buyPrice: 80, effectiveFrom: '2099-01-01T00:00:00Z' },
      });
      expect(scheduled.status).toBe(201);
    }
    // A row stored before the edge had the contracts' bounds: its amount no Avro long carries, and it is due first.
    const [bad] = await db('product_unit_prices')
      .where({ unit_level_id: boxLevel.id, sell_price: 3100 })
      .update({
        sell_price: String(2 ** 53 - 1),
        effective_from: new Date('2098-12-31T00:00:00Z'),
      })
      .returning('id');
    const in2099 = useCasesAt(new Date('2099-01-01T00:00:01Z'));

    expect(await announceDue(in2099, logger)).toEqual({ announced: 1, due: 2 });
    const setAside = await db('product_unit_prices').where({ id: bad.id }).first();
    expect(setAside.announced_at).toBeNull();
    expect(setAside.announcement_error).toMatch(/priceMinor/);
    const changes = await db('event_outbox')
      .where({ event_type: 'tulity.products.PriceChanged' })
      .orderBy('id')
      .select('payload');
    expect(changes.at(-1)!.payload).toMatchObject({ unitLevelId: pieceLevel.id, priceMinor: 140 });
    // Set aside, it is not tried again on every pass; the next pass has nothing to do.
    expect(await announceDue(in2099, logger)).toEqual({ announced: 0, due: 0 });
  });
});

describe('roles', () => {
  test('a cashier reads but cannot write; no token is a 401', async () => {
    expect((await api.call('GET', '/api/v1/categories', { role: 'cashier' })).status).toBe(200);
    const refused = await api.call('POST', '/api/v1/categories', { role: 'cashier', body: { name: 'X' } });
    expect([refused.status, refused.body.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    expect((await api.call('GET', '/api/v1/products', { role: null })).status).toBe(401);
    expect((await api.call('POST', '/api/v1/categories', { role: 'manager', body: { name: 'Y' } })).status).toBe(201);
    expect(await count('categories')).toBe(1);
  });
});

describe('bad input is refused with per-field errors and nothing written', () => {
  test('zero, negative, fractional or absurd conversion factors', async () => {
    const { product, box } = await buildCatalogue(api);
    const levelsBefore = await count('product_unit_levels');
    for (const factor of [0, -24, 2.5, 1e10]) {
      const answer = await api.call('POST', `/api/v1/products/${product.id}/unit-levels`, {
        body: { unitId: box.id, factor },
      });
      expect([answer.status, fields(answer.body)]).toEqual([400, ['factor']]);
    }
    expect(await count('product_unit_levels')).toBe(levelsBefore);
  });

  test('negative prices', async () => {
    const { product, pieceLevel } = await buildCatalogue(api);
    const pricesBefore = await count('product_unit_prices');
    const answer = await api.call('POST', `/api/v1/products/${product.id}/prices`, {
      body: { unitLevelId: pieceLevel.id, sellPrice: -1, buyPrice: -5 },
    });
    expect([answer.status, fields(answer.body).sort()]).toEqual([400, ['buyPrice', 'sellPrice']]);
    expect(await count('product_unit_prices')).toBe(pricesBefore);
  });

  test('amounts no event contract carries are a 400 naming the field; the largest it carries is stored and announced', async () => {
    const { product, pieceLevel, piecePrice } = await buildCatalogue(api);
    const unsafe = 2 ** 53 - 1;
    const outboxBefore = await count('event_outbox');
    const prices = `/api/v1/products/${product.id}/prices`;
    for (const body of [
      { unitLevelId: pieceLevel.id, sellPrice: unsafe, buyPrice: 1 },
      { unitLevelId: pieceLevel.id, sellPrice: 1, buyPrice: unsafe, effectiveFrom: '2099-01-01T00:00:00Z' },
    ]) {
      const answer = await api.call('POST', prices, { body });
      expect([answer.status, fields(answer.body)]).toEqual([
        400,
        [body.sellPrice === unsafe ? 'sellPrice' : 'buyPrice'],
      ]);
    }
    const patch = await api.call('PATCH', `${prices}/${piecePrice.id}`, { body: { sellPrice: unsafe } });
    expect([patch.status, fields(patch.body)]).toEqual([400, ['sellPrice']]);
    for (const delta of [unsafe, -unsafe, 1.5]) {
      const answer = await api.call('POST', `/api/v1/products/${product.id}/stock/adjustments`, {
        body: { delta, reason: 'count' },
      });
      expect([answer.status, fields(answer.body)]).toEqual([400, ['delta']]);
    }
    const threshold = await api.call('PATCH', `/api/v1/products/${product.id}`, {
      body: { lowStockThreshold: unsafe },
    });
    expect([threshold.status, fields(threshold.body)]).toEqual([400, ['lowStockThreshold']]);
    expect(await count('event_outbox')).toBe(outboxBefore);

    const largest = 9_007_199_254_740_990;
    expect(
      (await api.call('POST', prices, { body: { unitLevelId: pieceLevel.id, sellPrice: largest, buyPrice: largest } }))
        .status,
    ).toBe(201);
    const filled = await api.call('POST', `/api/v1/products/${product.id}/stock/adjustments`, {
      body: { delta: largest, reason: 'count' },
    });
    expect([filled.status, filled.body.quantity]).toEqual([201, largest]);
    const overfilled = await api.call('POST', `/api/v1/products/${product.id}/stock/adjustments`, {
      body: { delta: 1, reason: 'count' },
    });
    expect([overfilled.status, overfilled.body.code]).toEqual([409, 'STOCK.TOO_LARGE']);
  });

  test('a NUL or other control character in any stored or searched string', async () => {
    const { product, category, piece } = await buildCatalogue(api);
    const nul = 'Co\u0000la';
    const writes: Array<[string, string, object, string]> = [
      ['POST', '/api/v1/categories', { name: nul }, 'name'],
      ['PATCH', `/api/v1/categories/${category.id}`, { description: nul }, 'description'],
      ['POST', '/api/v1/units', { name: 'crate', abbreviation: 'c\u0007' }, 'abbreviation'],
      ['POST', '/api/v1/products', { sku: nul, name: 'X', categoryId: category.id, baseUnitId: piece.id }, 'sku'],
      ['PATCH', `/api/v1/products/${product.id}`, { name: nul }, 'name'],
      ['PATCH', `/api/v1/products/${product.id}`, { barcode: nul }, 'barcode'],
      ['PATCH', `/api/v1/products/${product.id}`, { description: nul }, 'description'],
      ['POST', `/api/v1/products/${product.id}/stock/adjustments`, { delta: 1, reason: nul }, 'reason'],
    ];
    for (const [method, path, body, field] of writes) {
      const answer = await api.call(method, path, { body });
      expect([method, path, answer.status, fields(answer.body)]).toEqual([method, path, 400, [field]]);
    }
    for (const path of [
      '/api/v1/products?q=a%00b',
      '/api/v1/categories?q=%00',
      '/api/v1/units?q=%00',
      '/api/v1/products?barcode=%00',
    ]) {
      const answer = await api.call('GET', path);
      expect([path, answer.status]).toEqual([path, 400]);
    }
    // A description may have lines.
    expect(
      (await api.call('PATCH', `/api/v1/products/${product.id}`, { body: { description: 'line one\nline two' } }))
        .status,
    ).toBe(200);
    expect(await count('stock_movements')).toBe(0);
  });

  test('unknown category or unit: 422 naming the field', async () => {
    const { category, piece } = await buildCatalogue(api);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const noCategory = await api.call('POST', '/api/v1/products', {
      body: { sku: 'X1', name: 'X', categoryId: ghost, baseUnitId: piece.id },
    });
    expect([noCategory.status, fields(noCategory.body)]).toEqual([422, ['categoryId']]);
    const noUnit = await api.call('POST', '/api/v1/products', {
      body: { sku: 'X1', name: 'X', categoryId: category.id, baseUnitId: ghost },
    });
    expect([noUnit.status, fields(noUnit.body)]).toEqual([422, ['baseUnitId']]);
    expect(await count('products')).toBe(1);
  });

  test('duplicate sku or barcode', async () => {
    const { category, piece, product } = await buildCatalogue(api);
    const sameSku = await api.call('POST', '/api/v1/products', {
      body: { sku: product.sku, name: 'X', categoryId: category.id, baseUnitId: piece.id },
    });
    expect([sameSku.status, sameSku.body.code, fields(sameSku.body)]).toEqual([409, 'PRODUCT.SKU_TAKEN', ['sku']]);
    const sameBarcode = await api.call('POST', '/api/v1/products', {
      body: { sku: 'OTHER', barcode: product.barcode, name: 'X', categoryId: category.id, baseUnitId: piece.id },
    });
    expect([sameBarcode.status, fields(sameBarcode.body)]).toEqual([409, ['barcode']]);
    expect([await count('products'), await count('product_stock'), await count('event_outbox')]).toEqual([1, 1, 4]);
  });

  test('a unit level of another product in a price', async () => {
    const cola = await buildCatalogue(api, 'COLA');
    const chips = await buildCatalogue(api, 'CHIPS');
    const pricesBefore = await count('product_unit_prices');
    const answer = await api.call('POST', `/api/v1/products/${chips.product.id}/prices`, {
      body: { unitLevelId: cola.boxLevel.id, sellPrice: 100, buyPrice: 50 },
    });
    expect([answer.status, fields(answer.body)]).toEqual([422, ['unitLevelId']]);
    expect(await count('product_unit_prices')).toBe(pricesBefore);
  });

  test("unknown fields and a sort key that is not one of the list's own, Object.prototype members included", async () => {
    const unknownField = await api.call('POST', '/api/v1/categories', { body: { name: 'A', colour: 'red' } });
    expect(fields(unknownField.body)).toEqual(['colour']);
    const { product } = await buildCatalogue(api);
    const lists = [
      '/api/v1/products',
      '/api/v1/categories',
      '/api/v1/units',
      `/api/v1/products/${product.id}/prices`,
      `/api/v1/products/${product.id}/stock-movements`,
    ];
    for (const list of lists) {
      for (const sort of ['price', 'constructor', '-constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        const answer = await api.call('GET', `${list}?sort=${sort}`);
        expect([list, sort, answer.status, fields(answer.body)]).toEqual([list, sort, 400, ['sort']]);
      }
    }
  });

  test('a path id that is not a UUID names nothing: 404, on nested resources too', async () => {
    const { product, pieceLevel, piecePrice } = await buildCatalogue(api);
    const paths = [
      ['GET', '/api/v1/products/not-a-uuid'],
      ['GET', `/api/v1/products/${product.id}/prices/not-a-uuid`],
      ['GET', `/api/v1/products/not-a-uuid/prices/${piecePrice.id}`],
      ['PATCH', `/api/v1/products/${product.id}/prices/1'%20or%201=1`],
      ['DELETE', `/api/v1/products/${product.id}/prices/not-a-uuid`],
      ['GET', `/api/v1/products/${product.id}/unit-levels/not-a-uuid`],
      ['GET', `/api/v1/products/not-a-uuid/unit-levels/${pieceLevel.id}`],
      ['PATCH', `/api/v1/products/${product.id}/unit-levels/not-a-uuid`],
      ['DELETE', `/api/v1/products/${product.id}/unit-levels/not-a-uuid`],
      ['GET', '/api/v1/products/not-a-uuid/stock'],
      ['GET', '/api/v1/products/not-a-uuid/stock-movements'],
      ['GET', '/api/v1/categories/not-a-uuid'],
      ['GET', '/api/v1/units/not-a-uuid'],
    ];
    for (const [method, path] of paths) {
      const answer = await api.call(method!, path!, { body: method === 'PATCH' ? { factor: 2 } : undefined });
      expect([method, path, answer.status]).toEqual([method, path, 404]);
    }
    // A well-formed id of another product's price is just as unknown.
    const other = await buildCatalogue(api, 'OTHER');
    expect((await api.call('GET', `/api/v1/products/${other.product.id}/prices/${piecePrice.id}`)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/products/${other.product.id}/unit-levels/${pieceLevel.id}`)).status).toBe(
      404,
    );
  });
});

describe('deletes are refused while referenced', () => {
  test('category, unit, unit level with prices, base level, product with stock', async () => {
    const { category, piece, product, boxLevel, pieceLevel, boxPrice } = await buildCatalogue(api);
    const expectConflict = async (path: string, code: string) => {
      const answer = await api.call('DELETE', path);
      expect([path, answer.status, answer.body.code]).toEqual([path, 409, code]);
    };
    await expectConflict(`/api/v1/categories/${category.id}`, 'CATEGORY.IN_USE');
    await expectConflict(`/api/v1/units/${piece.id}`, 'UNIT.IN_USE');
    await expectConflict(`/api/v1/products/${product.id}/unit-levels/${boxLevel.id}`, 'UNIT_LEVEL.IN_USE');
    await expectConflict(`/api/v1/products/${product.id}/unit-levels/${pieceLevel.id}`, 'UNIT_LEVEL.IS_BASE');
    await api.call('POST', `/api/v1/products/${product.id}/stock/adjustments`, { body: { delta: 5, reason: 'count' } });
    await expectConflict(`/api/v1/products/${product.id}`, 'PRODUCT.IN_USE');

    await api.call('POST', `/api/v1/products/${product.id}/stock/adjustments`, {
      body: { delta: -5, reason: 'count' },
    });
    expect((await api.call('DELETE', `/api/v1/products/${product.id}/prices/${boxPrice.id}`)).status).toBe(409);
    expect((await api.call('DELETE', `/api/v1/products/${product.id}`)).status).toBe(204);
    expect((await api.call('DELETE', `/api/v1/categories/${category.id}`)).status).toBe(204);
    expect((await api.call('DELETE', `/api/v1/units/${piece.id}`)).status).toBe(204);
    expect(await count('product_unit_prices')).toBe(0);
    const deleted = await db('event_outbox').where({ event_type: 'tulity.products.ProductDeleted' }).first();
    expect(deleted.payload.sku).toBe(product.sku);
  });
});

describe("a product's detail", () => {
  test('answers what the separate reads answer: reserved stock, levels, and per level the latest effective price', async () => {
    const { product, pieceLevel, boxLevel, boxPrice } = await buildCatalogue(api);
    const path = `/api/v1/products/${product.id}`;
    await api.call('POST', `${path}/stock/adjustments`, { body: { delta: 100, reason: 'count' } });
    await useCasesAt(new Date()).reserveStock({
      correlationId: 'detail-test',
      saleId: randomUUID(),
      lines: [{ productId: product.id, unitLevelId: boxLevel.id, quantity: 2 }],
    });
    const raised = await api.call('POST', `${path}/prices`, {
      body: { unitLevelId: pieceLevel.id, sellPrice: 175, buyPrice: 95 },
    });
    await api.call('POST', `${path}/prices`, {
      body: { unitLevelId: pieceLevel.id, sellPrice: 199, buyPrice: 95, effectiveFrom: '2099-01-01T00:00:00Z' },
    });

    const detail = (await api.call('GET', path)).body;

    expect(detail.stock).toEqual((await api.call('GET', `${path}/stock`)).body);
    expect(detail.stock).toMatchObject({ quantity: 52, reserved: 48 });
    expect(detail.unitLevels).toEqual((await api.call('GET', `${path}/unit-levels`)).body.items);
    expect(detail.currentPrices.sort((a: any, b: any) => a.sellPrice - b.sellPrice)).toEqual([raised.body, boxPrice]);
    const { stockQuantity, ...listed } = (await api.call('GET', `/api/v1/products?q=${product.sku}`)).body.items[0];
    expect(stockQuantity).toBe(52);
    const { stock: _stock, unitLevels: _levels, currentPrices: _prices, ...own } = detail;
    expect(own).toEqual(listed);
    expect((await api.call('GET', `/api/v1/products/${randomUUID()}`)).body.code).toBe('PRODUCT.NOT_FOUND');
  });
});

describe('stock by hand', () => {
  test('adjustments carry their reason into the ledger and stock equals the sum of movements', async () => {
    const { product } = await buildCatalogue(api);
    const path = `/api/v1/products/${product.id}/stock/adjustments`;
    expect((await api.call('POST', path, { body: { delta: 20, reason: 'opening count' } })).body.quantity).toBe(20);
    const after = await api.call('POST', path, { body: { delta: -12, reason: 'broken bottles' } });
    expect([after.body.quantity, after.body.low]).toEqual([8, true]);
    expect(schemas.stockBody.safeParse(after.body).error).toBeUndefined();
    const tooMuch = await api.call('POST', path, { body: { delta: -9, reason: 'theft' } });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([409, 'STOCK.INSUFFICIENT']);
    const noReason = await api.call('POST', path, { body: { delta: 1, reason: ' ' } });
    expect(fields(noReason.body)).toEqual(['reason']);

    const ledger = await api.call('GET', `/api/v1/products/${product.id}/stock-movements`, { role: 'cashier' });
    expect(ledger.body.items.map((m: any) => [m.delta, m.balanceAfter, m.reason, m.note])).toEqual([
      [-12, 8, 'manual_adjustment', 'broken bottles'],
      [20, 20, 'manual_adjustment', 'opening count'],
    ]);
    const low = await db('event_outbox').where({ event_type: 'tulity.products.LowStock' });
    expect(low.map((r) => [r.payload.sku, r.payload.availableBase, r.payload.thresholdBase])).toEqual([
      [product.sku, 8, 10],
    ]);
  });

  test('concurrent adjustments never take stock below zero', async () => {
    const { product } = await buildCatalogue(api);
    const path = `/api/v1/products/${product.id}/stock/adjustments`;
    await api.call('POST', path, { body: { delta: 10, reason: 'count' } });
    const results = await Promise.all(
      Array.from({ length: 16 }, () => api.call('POST', path, { body: { delta: -1, reason: 'sold by hand' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(10).fill(201), ...Array(6).fill(409)]);
    expect((await api.call('GET', `/api/v1/products/${product.id}/stock`)).body.quantity).toBe(0);
    const ledger = await db('stock_movements').where({ product_id: product.id }).sum({ sum: 'delta' }).first();
    expect(Number(ledger?.sum)).toBe(0);
  });
});

// Each statement is a round trip, and round trips are what a write costs (docs/performance.md):
// the hot writes keep theirs few.
const statementsOf = (work: () => Promise<unknown>) => statementsSentBy(db, work);

describe('statements per write', () => {
  test('a new product: its three rows and what its event carries in one statement, then the outbox row', async () => {
    const { category, piece } = await buildCatalogue(api);
    let created: any;
    const statements = await statementsOf(async () => {
      created = await api.call('POST', '/api/v1/products', {
        body: { sku: 'TEA-1', name: 'Tea', categoryId: category.id, baseUnitId: piece.id, lowStockThreshold: 5 },
      });
    });

    expect(created.status).toBe(201);
    expect(statements).toEqual([
      expect.stringMatching(/^BEGIN/),
      expect.stringMatching(/insert into products .*insert into product_unit_levels .*insert into product_stock/s),
      expect.stringMatching(/^insert into "event_outbox"/),
      expect.stringMatching(/^COMMIT/),
    ]);
    const event = await db('event_outbox').where({ key: created.body.id }).first();
    expect(event.payload).toMatchObject({
      sku: 'TEA-1',
      categoryName: category.name,
      baseUnitName: piece.name,
      unitLevels: [{ unitId: piece.id, unitName: piece.name, conversionFactor: 1 }],
    });
    expect(await count('product_stock')).toBe(2);
  });

  test('a stock adjustment: the lock, the new quantity with its ledger row, the outbox row', async () => {
    const { product } = await buildCatalogue(api);
    const statements = await statementsOf(() =>
      api.call('POST', `/api/v1/products/${product.id}/stock/adjustments`, { body: { delta: 3, reason: 'count' } }),
    );

    expect(statements).toEqual([
      expect.stringMatching(/^BEGIN/),
      expect.stringMatching(/for update of s/),
      expect.stringMatching(/insert into stock_movements .*update product_stock set quantity = \$\d+, reserved = /s),
      expect.stringMatching(/^insert into "event_outbox"/),
      expect.stringMatching(/^COMMIT/),
    ]);
  });
});

describe('lists', () => {
  test('page, search, filter and sort', async () => {
    const cola = await buildCatalogue(api, 'COLA');
    await buildCatalogue(api, 'CHIPS');
    await buildCatalogue(api, 'WATER');
    await api.call('PATCH', `/api/v1/products/${cola.product.id}`, { body: { active: false } });

    const firstPage = await api.call('GET', '/api/v1/products?pageSize=2&sort=-sku', { role: 'cashier' });
    expect([firstPage.body.total, firstPage.body.items.map((p: any) => p.sku)]).toEqual([3, ['WATER', 'COLA']]);
    expect(schemas.pageOf(schemas.productListItem).safeParse(firstPage.body).error).toBeUndefined();
    const secondPage = await api.call('GET', '/api/v1/products?pageSize=2&page=2&sort=-sku');
    expect(secondPage.body.items.map((p: any) => p.sku)).toEqual(['CHIPS']);
    expect((await api.call('GET', '/api/v1/products?q=hip')).body.items.map((p: any) => p.sku)).toEqual(['CHIPS']);
    expect((await api.call('GET', '/api/v1/products?q=%25')).body.total).toBe(0);
    expect((await api.call('GET', '/api/v1/products?active=false')).body.items.map((p: any) => p.sku)).toEqual([
      'COLA',
    ]);
    expect(
      (await api.call('GET', `/api/v1/products?categoryId=${cola.category.id}`)).body.items.map((p: any) => p.sku),
    ).toEqual(['COLA']);
    expect((await api.call('GET', '/api/v1/units?q=box&sort=name')).body.items.map((u: any) => u.name)).toEqual([
      'box CHIPS',
      'box COLA',
      'box WATER',
    ]);
    // The total of a stock filter counts with the stock; the others count the products alone.
    const low = await api.call('GET', '/api/v1/products?lowStock=true&pageSize=1');
    expect([low.body.total, low.body.items.length]).toEqual([3, 1]);
    expect((await api.call('GET', '/api/v1/products?lowStock=false')).body.total).toBe(0);
    expect(fields((await api.call('GET', '/api/v1/categories?page=0')).body)).toEqual(['page']);
    expect(fields((await api.call('GET', '/api/v1/products?categoryId=nope')).body)).toEqual(['categoryId']);
  });

  test("the whole catalogue's total is kept as products come and go, not counted for every page", async () => {
    const { category, piece } = await buildCatalogue(api, 'COLA');
    const total = async (query = '') => (await api.call('GET', `/api/v1/products?pageSize=1${query}`)).body.total;
    const create = (sku: string) =>
      api.call('POST', '/api/v1/products', { body: { sku, name: sku, categoryId: category.id, baseUnitId: piece.id } });

    // Side by side, so several connections (each with a shard of the count) add at once.
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`TEA-${i}`)));
    expect(created.map((answer) => answer.status)).toEqual(Array(12).fill(201));
    await api.call('PATCH', `/api/v1/products/${created[5]!.body.id}`, { body: { active: false } });
    for (const answer of created.slice(0, 3)) {
      expect((await api.call('DELETE', `/api/v1/products/${answer.body.id}`)).status).toBe(204);
    }

    let statements = await statementsOf(async () => expect(await total()).toBe(10));
    expect(statements).toEqual([expect.stringMatching(/product_count_shards/)]);
    expect(statements[0]).not.toMatch(/count\(/);
    expect(Number((await db('products').count({ n: '*' }))[0]!.n)).toBe(10);
    // A filter counts its rows, as before.
    statements = await statementsOf(async () => expect(await total('&active=true')).toBe(9));
    expect(statements[0]).toMatch(/count\(\*\)/);

    await emptyTables(db);
    expect(await total()).toBe(0);
    await buildCatalogue(api, 'AFTER');
    expect(await total()).toBe(1);
  });

  test("a new product does not wait for another transaction on its connection's shard of the count", async () => {
    const { category, piece } = await buildCatalogue(api, 'COLA');
    const holder = await db.transaction();
    const inserter = await db.transaction();
    try {
      const { pid } = (await inserter.raw('select pg_backend_pid() as pid')).rows[0];
      const own = pid % 32;
      await db.raw('insert into product_count_shards (shard, products) values (?, 0) on conflict do nothing', [own]);
      // As another pool connection whose pid falls on the same shard does while it adds a product.
      await holder.raw('select 1 from product_count_shards where shard = ? for update', [own]);
      await inserter.raw("set local lock_timeout = '2s'");
      const now = new Date();
      await inserter('products').insert({
        id: randomUUID(),
        sku: 'TEA',
        name: 'tea',
        category_id: category.id,
        base_unit_id: piece.id,
        low_stock_threshold: 0,
        active: true,
        created_at: now,
        updated_at: now,
      });
      await inserter.commit();
    } finally {
      if (!inserter.isCompleted()) await inserter.rollback();
      await holder.rollback();
    }
    expect((await api.call('GET', '/api/v1/products?pageSize=1')).body.total).toBe(2);
  });

  test('the OpenAPI document lists every route with its schemas and roles', async () => {
    const doc = (await api.call('GET', '/openapi.json', { role: null })).body;
    expect(doc.paths['/api/v1/products/{id}/stock-movements'].get).toBeDefined();
    expect(
      doc.paths['/api/v1/products/{id}/unit-levels'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['unitId', 'factor']);
    expect(doc.paths['/api/v1/products'].get.parameters.some((p: any) => p.name === 'lowStock')).toBe(true);
    expect(
      doc.paths['/api/v1/products/{id}'].get.responses['200'].content['application/json'].schema.properties.stock,
    ).toBeDefined();
    expect(doc.paths['/api/v1/products'].get['x-roles']).toEqual(['admin', 'manager', 'cashier']);
    expect(doc.paths['/api/v1/products'].post['x-roles']).toEqual(['admin', 'manager']);
  });

  test('serves the document that npm run openapi:generate builds offline', async () => {
    // Built from the route table's declarations alone: the web client's types come from it.
    expect((await api.call('GET', '/openapi.json', { role: null })).body).toEqual(
      JSON.parse(JSON.stringify(productsDocument())),
    );
  });
});
