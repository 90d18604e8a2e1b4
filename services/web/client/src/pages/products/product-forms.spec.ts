import { describe, expect, it } from '@jest/globals';
import {
  isoToLocalDateTime,
  localDateTimeToIso,
  parsePrice,
  parseProductCreate,
  parseProductUpdate,
  parseStockAdjustment,
  parseUnitLevel,
  type ProductFormValues,
} from './product-forms';

const category = '0b7c8a52-64a5-4a2e-9d55-3c9f0a1e2b3c';
const unit = '5d1c6f0e-2f7a-4f63-8a3e-1b2c3d4e5f60';
const filled: ProductFormValues = {
  sku: ' COLA-033 ',
  barcode: '',
  name: 'Cola 0.33 l',
  description: 'Chilled.\nSold by the piece or the box.',
  categoryId: category,
  baseUnitId: unit,
  lowStockThreshold: '24',
  active: true,
};

describe('the product form', () => {
  it('builds the create body: trimmed text, a blank barcode as none, numbers as numbers', () => {
    expect(parseProductCreate(filled)).toEqual({
      ok: true,
      value: {
        sku: 'COLA-033',
        barcode: null,
        name: 'Cola 0.33 l',
        description: 'Chilled.\nSold by the piece or the box.',
        categoryId: category,
        baseUnitId: unit,
        lowStockThreshold: 24,
        active: true,
      },
    });
  });

  it('names every field the server would refuse, with its limit', () => {
    const result = parseProductCreate({
      ...filled,
      sku: '   ',
      barcode: 'x'.repeat(65),
      name: 'n'.repeat(201),
      description: 'bell\u0007',
      categoryId: '',
      baseUnitId: '',
      lowStockThreshold: '-1',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        sku: 'Must not be blank.',
        barcode: 'At most 64 characters.',
        name: 'At most 200 characters.',
        description: 'Control characters other than line breaks are not allowed.',
        categoryId: 'Choose a category.',
        baseUnitId: 'Choose the base unit.',
        lowStockThreshold: 'Must be 0 or more.',
      },
    });
  });

  it('refuses a threshold that is not whole', () => {
    expect(parseProductCreate({ ...filled, lowStockThreshold: '2.5' })).toEqual({
      ok: false,
      errors: { lowStockThreshold: 'Must be a whole number.' },
    });
  });

  it('edits without the base unit, which cannot change', () => {
    const result = parseProductUpdate({ ...filled, baseUnitId: '', active: false });
    expect(result.ok && result.value).toEqual({
      sku: 'COLA-033',
      barcode: null,
      name: 'Cola 0.33 l',
      description: 'Chilled.\nSold by the piece or the box.',
      categoryId: category,
      lowStockThreshold: 24,
      active: false,
    });
  });
});

describe('the unit level form', () => {
  it('takes a unit and a factor of 1 to a billion base units', () => {
    expect(parseUnitLevel({ unitId: unit, factor: '12' })).toEqual({ ok: true, value: { unitId: unit, factor: 12 } });
    expect(parseUnitLevel({ unitId: '', factor: '0' })).toEqual({
      ok: false,
      errors: { unitId: 'Choose a unit.', factor: 'Must be 1 or more.' },
    });
    expect(parseUnitLevel({ unitId: unit, factor: '1000000001' })).toEqual({
      ok: false,
      errors: { factor: 'Must be at most 1000000000.' },
    });
  });
});

describe('the price form', () => {
  const level = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

  it('sends prices in minor units and leaves the start out for "now"', () => {
    expect(
      parsePrice({ unitLevelId: level, sellPrice: '14.40', buyPrice: '9', currency: 'EUR', effectiveFrom: '' }),
    ).toEqual({ ok: true, value: { unitLevelId: level, sellPrice: 1440, buyPrice: 900, currency: 'EUR' } });
  });

  it('sends a scheduled start as an instant with its zone', () => {
    const result = parsePrice({
      unitLevelId: level,
      sellPrice: '1',
      buyPrice: '1',
      currency: 'EUR',
      effectiveFrom: '2030-01-15T09:30',
    });
    expect(result.ok && result.value.effectiveFrom).toBe(new Date(2030, 0, 15, 9, 30).toISOString());
  });

  it('names each wrong field', () => {
    expect(
      parsePrice({ unitLevelId: '', sellPrice: 'abc', buyPrice: '1.999', currency: 'eur', effectiveFrom: 'soon' }),
    ).toEqual({
      ok: false,
      errors: {
        unitLevelId: 'Choose a unit level.',
        currency: 'Must be an ISO 4217 code such as EUR.',
        sellPrice: 'Must be an amount such as 12.50, zero or more.',
        buyPrice: 'At most 2 decimals.',
        effectiveFrom: 'Must be a date and time.',
      },
    });
  });

  it('shows a stored instant in the datetime input it came from', () => {
    expect(isoToLocalDateTime(localDateTimeToIso('2031-06-30T23:45')!)).toBe('2031-06-30T23:45');
    expect(localDateTimeToIso('2031-02-30')).toBeUndefined();
  });
});

describe('the stock adjustment form', () => {
  it('turns "remove 3" into a delta of -3 with its reason', () => {
    expect(parseStockAdjustment({ direction: 'remove', quantity: '3', reason: ' Broken bottles ' })).toEqual({
      ok: true,
      value: { delta: -3, reason: 'Broken bottles' },
    });
    expect(parseStockAdjustment({ direction: 'add', quantity: '10', reason: 'Recount' })).toEqual({
      ok: true,
      value: { delta: 10, reason: 'Recount' },
    });
  });

  it('needs a quantity of at least one and a reason', () => {
    expect(parseStockAdjustment({ direction: 'add', quantity: '0', reason: '' })).toEqual({
      ok: false,
      errors: { delta: 'Must be 1 or more.', reason: 'Must not be blank.' },
    });
  });
});
