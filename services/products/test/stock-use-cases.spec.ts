import { beforeEach, describe, expect, test } from '@jest/globals';
import { colaWithBoxes, correlationId, fakeDeps } from './fakes';

let fake: ReturnType<typeof fakeDeps>;
let productId: string;
let pieceLevel: string;
let boxLevel: string;

/** A cola sold per piece and per box of 24, threshold 10, with 50 pieces received. */
beforeEach(async () => {
  fake = fakeDeps();
  ({ productId, pieceLevel, boxLevel } = await colaWithBoxes(fake));
  fake.uow.state.events = [];
});

const stock = () => fake.uow.state.stock.get(productId)?.quantity;
const reserved = () => fake.uow.state.stock.get(productId)?.reserved;
const sale = (saleId: string, boxes: number, pieces = 0) => ({
  correlationId,
  saleId,
  lines: [
    ...(boxes ? [{ productId, unitLevelId: boxLevel, quantity: boxes }] : []),
    ...(pieces ? [{ productId, unitLevelId: pieceLevel, quantity: pieces }] : []),
  ],
});

describe('reserve stock', () => {
  test('takes every line in base units and records stock reserved', async () => {
    expect(await fake.useCases.reserveStock(sale('sale-1', 1, 2))).toEqual({ kind: 'reserved' });
    expect(stock()).toBe(24);
    expect(fake.uow.eventsOf('StockReserved')[0]?.lines.map((l) => l.baseQuantity)).toEqual([24, 2]);
    expect(fake.uow.ledgerSum(productId)).toBe(stock());
    // The stock event carries the reserved total after the change, and the request's correlation id.
    expect(fake.uow.eventsOf('StockChanged').map((e) => [e.delta, e.quantity, e.reserved])).toEqual([[-26, 24, 26]]);
    expect(new Set(fake.uow.state.events.map((e) => e.correlationId))).toEqual(new Set([correlationId]));
  });

  test('a second request for the same sale changes nothing', async () => {
    await fake.useCases.reserveStock(sale('sale-1', 1));
    expect(await fake.useCases.reserveStock(sale('sale-1', 1))).toEqual({ kind: 'already-handled' });
    expect(stock()).toBe(26);
    expect(fake.uow.eventsOf('StockReserved')).toHaveLength(1);
  });

  test('rejects with per-line shortages and leaves stock untouched', async () => {
    const outcome = await fake.useCases.reserveStock(sale('sale-2', 2, 3));
    expect(outcome.kind).toBe('rejected');
    expect(stock()).toBe(50);
    expect(fake.uow.eventsOf('StockReservationRejected')[0]?.shortages.map((s) => [s.requested, s.available])).toEqual([
      [48, 50],
      [3, 50],
    ]);
    expect(fake.uow.eventsOf('StockChanged')).toHaveLength(0);
  });

  test('racing sales for the last units: exactly one wins', async () => {
    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => fake.useCases.reserveStock(sale(id, 0, 30))));
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['rejected', 'rejected', 'reserved']);
    expect(stock()).toBe(20);
  });

  test('crossing the threshold downward records low stock once, with the product named', async () => {
    await fake.useCases.reserveStock(sale('sale-1', 1, 16));
    await fake.useCases.reserveStock(sale('sale-2', 0, 5));
    expect(fake.uow.eventsOf('LowStock').map((e) => [e.sku, e.quantity, e.threshold])).toEqual([['COLA', 10, 10]]);
  });

  test('a quantity whose base units the contracts cannot carry is rejected, not taken', async () => {
    const outcome = await fake.useCases.reserveStock({
      correlationId,
      saleId: 'huge',
      lines: [{ productId, unitLevelId: boxLevel, quantity: 2 ** 53 / 16 }],
    });
    expect(outcome).toMatchObject({ kind: 'rejected', shortages: [{ reason: 'INVALID_QUANTITY' }] });
    expect(stock()).toBe(50);
  });
});

describe('release a reservation', () => {
  test('returns exactly what the sale took, once; the stock event no longer counts it reserved', async () => {
    await fake.useCases.reserveStock(sale('sale-1', 1, 2));
    expect(await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-1' })).toEqual({ kind: 'released' });
    expect(await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-1' })).toEqual({
      kind: 'nothing-reserved',
    });
    expect(stock()).toBe(50);
    expect(fake.uow.ledgerSum(productId)).toBe(50);
    expect(fake.uow.eventsOf('StockChanged').at(-1)).toMatchObject({
      delta: 26,
      quantity: 50,
      reserved: 0,
      reason: 'reservation_release',
    });
  });

  test('a confirmed sale keeps its stock taken until it is cancelled', async () => {
    await fake.useCases.reserveStock(sale('sale-1', 1));
    await fake.useCases.reserveStock(sale('sale-2', 0, 3));
    expect(reserved()).toBe(27);
    expect(await fake.useCases.confirmReservation({ correlationId, saleId: 'sale-1' })).toBe(true);
    expect(await fake.useCases.confirmReservation({ correlationId, saleId: 'sale-1' })).toBe(false);
    // Sold, no longer held: only the other sale's pieces stay reserved.
    expect([stock(), reserved()]).toEqual([23, 3]);
    await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-1' });
    expect([stock(), reserved()]).toEqual([47, 3]);
    expect(fake.uow.eventsOf('StockChanged').at(-1)).toMatchObject({ delta: 24, quantity: 47, reserved: 3 });
  });

  test('a rejected sale releases nothing', async () => {
    await fake.useCases.reserveStock(sale('sale-1', 3));
    expect(await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-1' })).toEqual({
      kind: 'nothing-reserved',
    });
    expect(stock()).toBe(50);
  });

  test('a cancellation seen before its request keeps the sale from reserving later', async () => {
    await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-late' });
    expect(await fake.useCases.reserveStock(sale('sale-late', 1))).toEqual({ kind: 'already-handled' });
    expect(stock()).toBe(50);
  });
});

describe('receive a purchase', () => {
  test('adds stock in base units, once per purchase', async () => {
    const command = {
      correlationId,
      purchaseId: 'purchase-1',
      lines: [{ productId, unitLevelId: boxLevel, quantity: 2 }],
    };
    expect(await fake.useCases.receivePurchase(command)).toEqual({ kind: 'received' });
    expect(await fake.useCases.receivePurchase(command)).toEqual({ kind: 'already-received' });
    expect(stock()).toBe(98);
    expect(fake.uow.eventsOf('StockChanged').map((e) => [e.reason, e.delta, e.quantity])).toEqual([
      ['purchase', 48, 98],
    ]);
  });

  test('a line with a unit level of another product is refused without claiming the purchase', async () => {
    const outcome = await fake.useCases.receivePurchase({
      correlationId,
      purchaseId: 'purchase-2',
      lines: [{ productId: 'other', unitLevelId: boxLevel, quantity: 1 }],
    });
    expect(outcome.kind).toBe('unusable-line');
    expect(fake.uow.state.purchases.has('purchase-2')).toBe(false);
  });
});

describe('manual adjustment', () => {
  test('records the reason in the ledger', async () => {
    await fake.useCases.adjustStock({ correlationId, productId, delta: -3, reason: 'broken bottles' });
    expect(stock()).toBe(47);
    expect(fake.uow.state.movements.at(-1)?.note).toBe('broken bottles');
    expect(fake.uow.ledgerSum(productId)).toBe(47);
  });

  test('cannot take more than is in stock, and nothing is written', async () => {
    await expect(
      fake.useCases.adjustStock({ correlationId, productId, delta: -51, reason: 'count' }),
    ).rejects.toMatchObject({ code: 'STOCK.INSUFFICIENT' });
    expect(stock()).toBe(50);
    expect(fake.uow.state.movements).toHaveLength(1);
  });

  test('cannot raise stock past what the contracts can count', async () => {
    await expect(
      fake.useCases.adjustStock({ correlationId, productId, delta: 9_007_199_254_740_990, reason: 'count' }),
    ).rejects.toMatchObject({
      code: 'STOCK.TOO_LARGE',
    });
    expect(stock()).toBe(50);
  });
});

describe('catalogue rules', () => {
  test('a product with stock cannot be deleted', async () => {
    await expect(fake.useCases.deleteProduct({ correlationId, id: productId })).rejects.toMatchObject({
      code: 'PRODUCT.IN_USE',
    });
  });

  test('an unknown category names the field and nothing is written', async () => {
    const before = fake.uow.state.products.size;
    await expect(
      fake.useCases.createProduct({ correlationId, sku: 'X', name: 'X', categoryId: 'nope', baseUnitId: 'nope' }),
    ).rejects.toMatchObject({ kind: 'unprocessable', fields: [{ field: 'categoryId' }] });
    expect(fake.uow.state.products.size).toBe(before);
  });

  test("a price for another product's unit level is refused", async () => {
    const other = await fake.useCases.createProduct({
      correlationId,
      sku: 'CHIPS',
      name: 'Chips',
      categoryId: [...fake.uow.state.categories.keys()][0]!,
      baseUnitId: [...fake.uow.state.units.keys()][0]!,
    });
    await expect(
      fake.useCases.setPrice({
        correlationId,
        productId: other.id,
        unitLevelId: boxLevel,
        sellPrice: 100,
        buyPrice: 50,
        currency: 'EUR',
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'unitLevelId' }] });
    expect(fake.uow.state.prices.size).toBe(0);
  });

  test('product events carry the names and unit levels consumers keep', async () => {
    const updated = fake.uow.eventsOf('ProductUpdated');
    expect(updated).toHaveLength(0);
    await fake.useCases.updateProduct({ correlationId, id: productId, changes: { name: 'Cola Zero' } });
    const [event] = fake.uow.eventsOf('ProductUpdated');
    expect(event?.snapshot).toMatchObject({
      categoryName: 'Drinks',
      baseUnitName: 'piece',
      unitLevels: [
        { unitName: 'piece', factor: 1 },
        { unitName: 'box', factor: 24 },
      ],
    });
    expect(event?.snapshot.product.name).toBe('Cola Zero');
  });
});
