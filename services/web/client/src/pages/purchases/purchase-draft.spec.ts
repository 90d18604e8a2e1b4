import { describe, expect, test } from '@jest/globals';
import { checkPurchase, draftTotal, type DraftLine, type PurchaseDraft } from './purchase-draft';

const line = (overrides: Partial<DraftLine> = {}): DraftLine => ({
  key: 1,
  productId: 'p1',
  productName: 'Cola',
  sku: 'COLA',
  levels: [
    { unitLevelId: 'box', unitName: 'box', factor: 24, buyPriceMinor: 1_200 },
    { unitLevelId: 'piece', unitName: 'piece', factor: 1, buyPriceMinor: null },
  ],
  unitLevelId: 'box',
  quantity: '3',
  unitCost: '',
  ...overrides,
});
const draft = (lines: DraftLine[], supplierName = 'Wholesale Ltd'): PurchaseDraft => ({
  supplierName,
  supplierReference: ' INV-7 ',
  lines,
});

describe('the purchase form', () => {
  test('sends the lines as the API takes them, the catalogue cost left to the server', () => {
    expect(checkPurchase(draft([line(), line({ key: 2, unitLevelId: 'piece', unitCost: '0.55' })]), 'EUR')).toEqual({
      body: {
        supplierName: 'Wholesale Ltd',
        supplierReference: 'INV-7',
        lines: [
          { productId: 'p1', unitLevelId: 'box', quantity: 3 },
          { productId: 'p1', unitLevelId: 'piece', quantity: 3, unitCostMinor: 55 },
        ],
      },
      problems: {},
    });
  });

  test('names each problem by the field path the server uses', () => {
    const checked = checkPurchase(draft([line({ quantity: '0' }), line({ key: 2, unitLevelId: 'piece' })], ' '), 'EUR');
    expect(checked.body).toBeUndefined();
    expect(checked.problems).toEqual({
      supplierName: 'Enter the supplier.',
      'lines.0.quantity': 'At least 1.',
      'lines.1.unitCostMinor': 'This unit has no buy price in the catalogue: enter the cost.',
    });
    expect(checkPurchase(draft([]), 'EUR').problems).toEqual({ lines: 'Add at least one product.' });
  });

  test('the total is known once every line has a quantity and a cost', () => {
    expect(
      draftTotal(draft([line(), line({ key: 2, unitLevelId: 'piece', unitCost: '0.50', quantity: '10' })]), 'EUR'),
    ).toBe(3_600 + 500);
    expect(draftTotal(draft([line({ unitLevelId: 'piece' })]), 'EUR')).toBeNull();
  });
});
