import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { DomainError } from './errors';
import { changeProduct, newProduct } from './product';
import { newUnitLevel, toBaseQuantity } from './unit-level';
import { currentPrices, newPrice } from './unit-price';

const at = new Date('2026-01-01T00:00:00Z');
const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).fields?.map((f) => f.field);
  }
  assert.fail('expected a DomainError');
};

describe('product', () => {
  const input = { sku: ' COLA-1 ', name: 'Cola', categoryId: 'c', baseUnitId: 'u' };

  test('trims text and defaults threshold, barcode and active', () => {
    const product = newProduct('p', input, at);
    assert.equal(product.sku, 'COLA-1');
    assert.equal(product.barcode, null);
    assert.equal(product.lowStockThreshold, 0);
    assert.equal(product.active, true);
  });

  test('refuses a blank sku, a negative threshold and a blank name on change', () => {
    assert.deepEqual(field(() => newProduct('p', { ...input, sku: '  ' }, at)), ['sku']);
    assert.deepEqual(field(() => newProduct('p', { ...input, lowStockThreshold: -1 }, at)), ['lowStockThreshold']);
    assert.deepEqual(field(() => changeProduct(newProduct('p', input, at), { name: '' }, at)), ['name']);
  });
});

describe('unit level', () => {
  test('refuses zero, negative and fractional factors', () => {
    for (const factor of [0, -24, 1.5]) {
      assert.deepEqual(field(() => newUnitLevel('l', { productId: 'p', unitId: 'u', factor }, at)), ['factor']);
    }
  });

  test('converts to base units and refuses a product beyond safe integers', () => {
    assert.equal(toBaseQuantity(3, 24), 72);
    assert.throws(() => toBaseQuantity(Number.MAX_SAFE_INTEGER, 2), DomainError);
  });
});

describe('unit price', () => {
  const price = (id: string, sellPrice: number, effectiveFrom: string, createdAt = at) =>
    newPrice(id, { productId: 'p', unitLevelId: 'box', sellPrice, buyPrice: 100, currency: 'EUR', effectiveFrom: new Date(effectiveFrom) }, createdAt);

  test('refuses negative or fractional money and a bad currency', () => {
    assert.deepEqual(field(() => price('x', -1, '2026-01-01')), ['sellPrice']);
    assert.deepEqual(field(() => newPrice('x', { productId: 'p', unitLevelId: 'l', sellPrice: 1, buyPrice: 0.5, currency: 'EUR' }, at)), ['buyPrice']);
    assert.deepEqual(field(() => newPrice('x', { productId: 'p', unitLevelId: 'l', sellPrice: 1, buyPrice: 1, currency: 'euro' }, at)), ['currency']);
  });

  test('the current price is the latest one in effect; a future price waits', () => {
    const history = [price('old', 100, '2025-01-01'), price('now', 120, '2025-06-01'), price('future', 150, '2027-01-01')];
    assert.deepEqual(currentPrices(history, new Date('2026-01-01')).map((p) => p.id), ['now']);
    assert.deepEqual(currentPrices(history, new Date('2027-01-02')).map((p) => p.id), ['future']);
    assert.deepEqual(currentPrices(history, new Date('2024-01-01')), []);
  });
});
