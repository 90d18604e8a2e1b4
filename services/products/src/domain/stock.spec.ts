import { describe, expect, test } from '@jest/globals';
import { largestWhole } from './quantity';
import { baseUnitsByProduct, crossedLow, held, move, planReservation, type StockLevel } from './stock';
import type { ProductUnitLevel } from './unit-level';

const at = new Date('2026-01-01T00:00:00Z');
const level = (productId: string, unitId: string, factor: number): ProductUnitLevel => ({
  id: `${productId}-${unitId}`,
  productId,
  unitId,
  factor,
  isBase: factor === 1,
  createdAt: at,
});
const stockOf = (productId: string, quantity: number, active = true): StockLevel => ({
  productId,
  sku: productId.toUpperCase(),
  name: productId,
  quantity,
  reserved: 0,
  lowStockThreshold: 5,
  active,
});

describe('planReservation', () => {
  const levels = new Map(
    [level('cola', 'piece', 1), level('cola', 'box', 24), level('chips', 'piece', 1)].map((l) => [l.id, l]),
  );

  test('converts each line to base units and sums demand per product', () => {
    const plan = planReservation(
      [
        { productId: 'cola', unitLevelId: 'cola-box', quantity: 2 },
        { productId: 'cola', unitLevelId: 'cola-piece', quantity: 3 },
      ],
      levels,
      new Map([['cola', stockOf('cola', 51)]]),
    );
    expect(plan.kind).toBe('reserve');
    expect(plan.kind === 'reserve' && [...plan.demand]).toEqual([['cola', 51]]);
    expect(plan.kind === 'reserve' && plan.lines.map((l) => l.baseQuantity)).toEqual([48, 3]);
  });

  test('rejects the whole sale when lines of one product together exceed its stock', () => {
    const plan = planReservation(
      [
        { productId: 'cola', unitLevelId: 'cola-box', quantity: 2 },
        { productId: 'cola', unitLevelId: 'cola-piece', quantity: 3 },
        { productId: 'chips', unitLevelId: 'chips-piece', quantity: 1 },
      ],
      levels,
      new Map([
        ['cola', stockOf('cola', 50)],
        ['chips', stockOf('chips', 10)],
      ]),
    );
    expect(plan.kind).toBe('reject');
    expect(plan.kind === 'reject' && plan.shortages).toEqual([
      { productId: 'cola', unitLevelId: 'cola-box', requested: 48, available: 50, reason: 'INSUFFICIENT_STOCK' },
      { productId: 'cola', unitLevelId: 'cola-piece', requested: 3, available: 50, reason: 'INSUFFICIENT_STOCK' },
    ]);
  });

  test('names unknown products, inactive products and a unit level of another product', () => {
    const plan = planReservation(
      [
        { productId: 'ghost', unitLevelId: 'cola-piece', quantity: 1 },
        { productId: 'chips', unitLevelId: 'cola-box', quantity: 1 },
        { productId: 'cola', unitLevelId: 'cola-piece', quantity: 1 },
      ],
      levels,
      new Map([
        ['cola', stockOf('cola', 9, false)],
        ['chips', stockOf('chips', 9)],
      ]),
    );
    expect(plan.kind === 'reject' && plan.shortages.map((s) => s.reason)).toEqual([
      'UNKNOWN_PRODUCT',
      'UNKNOWN_UNIT_LEVEL',
      'INACTIVE_PRODUCT',
    ]);
  });

  test('rejects a zero quantity and an empty sale', () => {
    const zero = planReservation(
      [{ productId: 'cola', unitLevelId: 'cola-piece', quantity: 0 }],
      levels,
      new Map([['cola', stockOf('cola', 9)]]),
    );
    expect(zero.kind === 'reject' && zero.shortages.map((s) => s.reason)).toEqual(['INVALID_QUANTITY']);
    expect(planReservation([], levels, new Map()).kind).toBe('reject');
  });
});

describe('move', () => {
  test('records the balance after and flags a downward crossing of the threshold', () => {
    const result = move(stockOf('cola', 7), { delta: -2, reason: 'sale_reservation', reference: 'sale-1' }, at);
    expect([result.level.quantity, result.movement.balanceAfter, result.movement.reference, result.crossedLow]).toEqual(
      [5, 5, 'sale-1', true],
    );
  });

  test('moves stock into the reserved units and back with it', () => {
    const reserving = move(stockOf('cola', 7), { delta: -2, reservedDelta: 2, reason: 'sale_reservation' }, at);
    expect([reserving.level.quantity, reserving.level.reserved]).toEqual([5, 2]);
    const releasing = move(reserving.level, { delta: 2, reservedDelta: -2, reason: 'reservation_release' }, at);
    expect([releasing.level.quantity, releasing.level.reserved]).toEqual([7, 0]);
  });

  test('refuses to take stock below zero', () => {
    expect(() => move(stockOf('cola', 3), { delta: -4, reason: 'manual_adjustment' }, at)).toThrow(
      expect.objectContaining({ code: 'STOCK.INSUFFICIENT' }),
    );
  });

  test('refuses a zero, fractional or uncountable movement, and a balance the contracts cannot carry', () => {
    for (const delta of [0, 1.5, 2 ** 53 - 1, -(2 ** 53 - 1)]) {
      expect(() => move(stockOf('cola', 3), { delta, reason: 'manual_adjustment' }, at)).toThrow(
        expect.objectContaining({ fields: [expect.objectContaining({ field: 'delta' })] }),
      );
    }
    expect(() => move(stockOf('cola', 3), { delta: largestWhole - 2, reason: 'manual_adjustment' }, at)).toThrow(
      expect.objectContaining({ code: 'STOCK.TOO_LARGE' }),
    );
  });
});

test('held never gives back more than reservations hold', () => {
  expect(held({ ...stockOf('cola', 3), reserved: 4 }, -4).reserved).toBe(0);
  expect(() => held({ ...stockOf('cola', 3), reserved: 4 }, -5)).toThrow('would hold -1 reserved units');
});

test('baseUnitsByProduct sums lines of one product across unit levels', () => {
  const lines = [
    { productId: 'cola', baseQuantity: 24 },
    { productId: 'chips', baseQuantity: 1 },
    { productId: 'cola', baseQuantity: 3 },
  ];
  expect([...baseUnitsByProduct(lines)]).toEqual([
    ['cola', 27],
    ['chips', 1],
  ]);
});

test('crossedLow only fires when stock moves from above the threshold to at or below it', () => {
  expect([crossedLow(5, 6, 5), crossedLow(5, 5, 4), crossedLow(5, 4, 9), crossedLow(0, 1, 0)]).toEqual([
    true,
    false,
    false,
    true,
  ]);
});
