import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { DomainError } from './errors';
import { crossedLow, move, planReservation, type StockLevel } from './stock';
import type { ProductUnitLevel } from './unit-level';

const at = new Date('2026-01-01T00:00:00Z');
const level = (productId: string, unitId: string, factor: number): ProductUnitLevel => ({ id: `${productId}-${unitId}`, productId, unitId, factor, isBase: factor === 1, createdAt: at });
const stockOf = (productId: string, quantity: number, active = true): StockLevel => ({ productId, quantity, lowStockThreshold: 5, active });

describe('planReservation', () => {
  const levels = new Map([level('cola', 'piece', 1), level('cola', 'box', 24), level('chips', 'piece', 1)].map((l) => [l.id, l]));

  test('converts each line to base units and sums demand per product', () => {
    const plan = planReservation(
      [{ productId: 'cola', unitLevelId: 'cola-box', quantity: 2 }, { productId: 'cola', unitLevelId: 'cola-piece', quantity: 3 }],
      levels,
      new Map([['cola', stockOf('cola', 51)]]),
    );
    assert.equal(plan.kind, 'reserve');
    assert.deepEqual(plan.kind === 'reserve' && [...plan.demand], [['cola', 51]]);
    assert.deepEqual(plan.kind === 'reserve' && plan.lines.map((l) => l.baseQuantity), [48, 3]);
  });

  test('rejects the whole sale when lines of one product together exceed its stock', () => {
    const plan = planReservation(
      [{ productId: 'cola', unitLevelId: 'cola-box', quantity: 2 }, { productId: 'cola', unitLevelId: 'cola-piece', quantity: 3 }, { productId: 'chips', unitLevelId: 'chips-piece', quantity: 1 }],
      levels,
      new Map([['cola', stockOf('cola', 50)], ['chips', stockOf('chips', 10)]]),
    );
    assert.equal(plan.kind, 'reject');
    assert.deepEqual(plan.kind === 'reject' && plan.shortages, [
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
      new Map([['cola', stockOf('cola', 9, false)], ['chips', stockOf('chips', 9)]]),
    );
    assert.deepEqual(plan.kind === 'reject' && plan.shortages.map((s) => s.reason), ['UNKNOWN_PRODUCT', 'UNKNOWN_UNIT_LEVEL', 'INACTIVE_PRODUCT']);
  });

  test('rejects a zero quantity and an empty sale', () => {
    const zero = planReservation([{ productId: 'cola', unitLevelId: 'cola-piece', quantity: 0 }], levels, new Map([['cola', stockOf('cola', 9)]]));
    assert.deepEqual(zero.kind === 'reject' && zero.shortages.map((s) => s.reason), ['INVALID_QUANTITY']);
    assert.equal(planReservation([], levels, new Map()).kind, 'reject');
  });
});

describe('move', () => {
  test('records the balance after and flags a downward crossing of the threshold', () => {
    const result = move(stockOf('cola', 7), { delta: -2, reason: 'sale_reservation', reference: 'sale-1' }, at);
    assert.equal(result.level.quantity, 5);
    assert.equal(result.movement.balanceAfter, 5);
    assert.equal(result.movement.reference, 'sale-1');
    assert.equal(result.crossedLow, true);
  });

  test('refuses to take stock below zero', () => {
    assert.throws(() => move(stockOf('cola', 3), { delta: -4, reason: 'manual_adjustment' }, at), (e: DomainError) => e.code === 'STOCK.INSUFFICIENT');
  });

  test('refuses a zero or fractional movement', () => {
    assert.throws(() => move(stockOf('cola', 3), { delta: 0, reason: 'manual_adjustment' }, at), (e: DomainError) => e.fields?.[0]?.field === 'delta');
    assert.throws(() => move(stockOf('cola', 3), { delta: 1.5, reason: 'manual_adjustment' }, at), DomainError);
  });
});

test('crossedLow only fires when stock moves from above the threshold to at or below it', () => {
  assert.equal(crossedLow(5, 6, 5), true);
  assert.equal(crossedLow(5, 5, 4), false);
  assert.equal(crossedLow(5, 4, 9), false);
  assert.equal(crossedLow(0, 1, 0), true);
});
