import { describe, expect, test } from '@jest/globals';
import type { Failure } from '@tulity/adapters/core/failure';
import { changeProduct, newProduct } from './product';
import { largestWhole } from './quantity';
import { changeFactor, newUnitLevel, toBaseQuantity } from './unit-level';
import { currentPrices, newPrice } from './unit-price';

const at = new Date('2026-01-01T00:00:00Z');
/** The fields a refusal names. */
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Failure).fields?.map((f) => f.field);
  }
  throw new Error('expected a Failure');
};

describe('product', () => {
  const input = { sku: ' COLA-1 ', name: 'Cola', categoryId: 'c', baseUnitId: 'u' };

  test('trims text and defaults threshold, barcode and active', () => {
    expect(newProduct('p', input, at)).toMatchObject({
      sku: 'COLA-1',
      barcode: null,
      lowStockThreshold: 0,
      active: true,
    });
  });

  test('refuses a blank sku, a threshold outside what the contracts carry and a blank name on change', () => {
    expect(fieldsOf(() => newProduct('p', { ...input, sku: '  ' }, at))).toEqual(['sku']);
    expect(fieldsOf(() => newProduct('p', { ...input, lowStockThreshold: -1 }, at))).toEqual(['lowStockThreshold']);
    expect(fieldsOf(() => newProduct('p', { ...input, lowStockThreshold: largestWhole + 1 }, at))).toEqual([
      'lowStockThreshold',
    ]);
    expect(fieldsOf(() => changeProduct(newProduct('p', input, at), { name: '' }, at))).toEqual(['name']);
  });
});

describe('unit level', () => {
  test('refuses zero, negative, fractional and absurd factors', () => {
    for (const factor of [0, -24, 1.5, 1e10]) {
      expect(fieldsOf(() => newUnitLevel('l', { productId: 'p', unitId: 'u', factor }, at))).toEqual(['factor']);
    }
  });

  test('the base level keeps factor 1', () => {
    const base = newUnitLevel('l', { productId: 'p', unitId: 'u', factor: 1, isBase: true }, at);
    expect(() => changeFactor(base, 2)).toThrow(expect.objectContaining({ code: 'UNIT_LEVEL.IS_BASE' }));
  });

  test('converts to base units, and gives no count the contracts could not carry', () => {
    expect(toBaseQuantity(3, 24)).toBe(72);
    expect(toBaseQuantity(largestWhole, 2)).toBeUndefined();
    expect(toBaseQuantity(0, 2)).toBeUndefined();
  });
});

describe('unit price', () => {
  const price = (id: string, sellPrice: number, effectiveFrom: string, createdAt = at) =>
    newPrice(
      id,
      {
        productId: 'p',
        unitLevelId: 'box',
        sellPrice,
        buyPrice: 100,
        currency: 'EUR',
        effectiveFrom: new Date(effectiveFrom),
      },
      createdAt,
    );

  test('refuses negative, fractional or too large money and a bad currency', () => {
    expect(fieldsOf(() => price('x', -1, '2026-01-01'))).toEqual(['sellPrice']);
    expect(fieldsOf(() => price('x', 2 ** 53 - 1, '2026-01-01'))).toEqual(['sellPrice']);
    expect(
      fieldsOf(() =>
        newPrice('x', { productId: 'p', unitLevelId: 'l', sellPrice: 1, buyPrice: 0.5, currency: 'EUR' }, at),
      ),
    ).toEqual(['buyPrice']);
    expect(
      fieldsOf(() =>
        newPrice('x', { productId: 'p', unitLevelId: 'l', sellPrice: 1, buyPrice: 1, currency: 'euro' }, at),
      ),
    ).toEqual(['currency']);
    expect(price('x', largestWhole, '2026-01-01').sellPrice).toBe(largestWhole);
  });

  test('the current price is the latest one in effect; a future price waits', () => {
    const history = [
      price('old', 100, '2025-01-01'),
      price('now', 120, '2025-06-01'),
      price('future', 150, '2027-01-01'),
    ];
    expect(currentPrices(history, new Date('2026-01-01')).map((p) => p.id)).toEqual(['now']);
    expect(currentPrices(history, new Date('2027-01-02')).map((p) => p.id)).toEqual(['future']);
    expect(currentPrices(history, new Date('2024-01-01'))).toEqual([]);
  });
});
