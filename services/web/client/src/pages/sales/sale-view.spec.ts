import { describe, expect, test } from '@jest/globals';
import type { Sale, SaleLine } from './api-types';
import { canCancel, rejectionText, returnable, shortageText } from './sale-view';

const line = (overrides: Partial<SaleLine>): SaleLine => ({
  id: 'l1',
  productId: 'p1',
  unitLevelId: 'box',
  sku: 'COLA',
  productName: 'Cola',
  unitName: 'box',
  quantity: 2,
  conversionFactor: 12,
  baseQuantity: 24,
  unitPriceMinor: 1_500,
  grossMinor: 3_000,
  discountMinor: 0,
  lineTotalMinor: 3_000,
  returnedQuantity: 0,
  refundedMinor: 0,
  ...overrides,
});
const sale = (lines: SaleLine[], status: Sale['status'] = 'rejected') => ({ status, lines }) as Sale;
const shortage = { productId: 'p1', requestedBase: 48, availableBase: 36 };

describe('a sale in words', () => {
  test('a shortage names the product and counts in its base unit', () => {
    expect(shortageText(sale([line({})]), shortage, 'piece')).toBe('Cola: 48 piece asked, 36 piece in stock');
    expect(shortageText(sale([line({}), line({ id: 'l2', unitName: 'can', conversionFactor: 1 })]), shortage)).toBe(
      'Cola: 48 can asked, 36 can in stock',
    );
    expect(shortageText(sale([line({})]), { ...shortage, availableBase: -3 })).toBe(
      'Cola: 48 base units asked, 0 base units in stock',
    );
  });

  test("products' reasons read as sentences, an unknown one is still shown", () => {
    expect(rejectionText('insufficient-stock')).toBe('Not enough stock.');
    expect(rejectionText('frozen-shelf')).toBe('Refused by the stock: frozen-shelf.');
  });

  test('what may still be done with a sale', () => {
    expect(canCancel(sale([line({})], 'confirmed'))).toBe(true);
    expect(canCancel(sale([line({})], 'rejected'))).toBe(false);
    const partly = sale([line({}), line({ id: 'l2', returnedQuantity: 2 })], 'confirmed');
    expect(returnable(partly).map((l) => l.id)).toEqual(['l1']);
    expect(returnable(sale([line({})], 'cancelled'))).toEqual([]);
  });
});
