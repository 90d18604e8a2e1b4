import { describe, expect, it } from '@jest/globals';
import { productQuery, readProductFilters, writeProductFilters } from './product-filters';

const category = '0b7c8a52-64a5-4a2e-9d55-3c9f0a1e2b3c';

describe('product list filters', () => {
  it('round-trips every filter through the query string', () => {
    const filters = {
      page: 2,
      pageSize: 50,
      sort: '-stock',
      q: 'cola',
      categoryId: category,
      active: 'false' as const,
      lowStock: true,
    };
    const url = writeProductFilters(filters).toString();
    expect(readProductFilters(new URLSearchParams(url))).toEqual(filters);
  });

  it('ignores a malformed category, an unknown active value and a sort the API lacks', () => {
    const filters = readProductFilters(new URLSearchParams('categoryId=abc&active=maybe&lowStock=1&sort=price'));
    expect(filters).toMatchObject({ categoryId: '', active: '', lowStock: false, sort: 'name' });
  });

  it('asks the API only for the filters that are set', () => {
    const none = readProductFilters(new URLSearchParams(''));
    expect(productQuery(none)).toEqual({ page: 1, pageSize: 20, sort: 'name' });
    const some = readProductFilters(new URLSearchParams(`categoryId=${category}&active=true&lowStock=true`));
    expect(productQuery(some)).toEqual({
      page: 1,
      pageSize: 20,
      sort: 'name',
      categoryId: category,
      active: 'true',
      lowStock: 'true',
    });
  });
});
