// The edge's own schemas, without the app around them: each refuses what the contracts or the
// database cannot take, whatever the shared app factory already filters.
import { describe, expect, test } from '@jest/globals';
import type { z } from 'zod';
import * as s from '../src/adapters/http/schemas';

const fieldsOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
};
const id = '00000000-0000-4000-8000-000000000001';

describe('request schemas', () => {
  test('refuse a NUL or other control character in every stored string; descriptions keep their lines', () => {
    expect(fieldsOf(s.categoryCreate, { name: 'a\u0000b' })).toEqual(['name']);
    expect(fieldsOf(s.categoryCreate, { name: 'ok', description: 'a\u0000b' })).toEqual(['description']);
    expect(fieldsOf(s.unitCreate, { name: 'box', abbreviation: 'b\u001b' })).toEqual(['abbreviation']);
    expect(
      fieldsOf(s.productCreate, {
        sku: 'S\u0000',
        barcode: '1\u0000',
        name: 'N\u0085',
        categoryId: id,
        baseUnitId: id,
      }),
    ).toEqual(['sku', 'barcode', 'name']);
    expect(fieldsOf(s.stockAdjustment, { delta: 1, reason: 'r\u0000' })).toEqual(['reason']);
    expect(fieldsOf(s.productUpdate, { description: 'line one\nline two\ttabbed' })).toEqual([]);
  });

  test('refuse amounts beyond what an Avro long carries exactly, and take the largest it does', () => {
    const unsafe = 2 ** 53 - 1;
    expect(fieldsOf(s.priceCreate, { unitLevelId: id, sellPrice: unsafe, buyPrice: unsafe })).toEqual([
      'sellPrice',
      'buyPrice',
    ]);
    expect(fieldsOf(s.priceUpdate, { sellPrice: unsafe })).toEqual(['sellPrice']);
    expect(fieldsOf(s.stockAdjustment, { delta: -unsafe, reason: 'r' })).toEqual(['delta']);
    expect(fieldsOf(s.productUpdate, { lowStockThreshold: unsafe })).toEqual(['lowStockThreshold']);
    expect(fieldsOf(s.unitLevelCreate, { unitId: id, factor: 1e10 })).toEqual(['factor']);
    expect(fieldsOf(s.priceCreate, { unitLevelId: id, sellPrice: 9_007_199_254_740_990, buyPrice: 0 })).toEqual([]);
  });

  test("take only the list's own sort keys: Object.prototype members are none of them", () => {
    for (const sort of ['constructor', '-constructor', '__proto__', 'toString', 'price']) {
      expect(fieldsOf(s.productListQuery, { sort })).toEqual(['sort']);
      expect(fieldsOf(s.priceListQuery, { sort })).toEqual(['sort']);
    }
    expect(s.productListQuery.parse({ sort: '-sku' })).toMatchObject({ sort: 'sku', descending: true, page: 1 });
    expect(fieldsOf(s.productListQuery, { q: 'a\u0000' })).toEqual(['q']);
  });
});
