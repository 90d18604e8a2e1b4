// The products list's own filters on top of the common list state, kept in the query string.
import { listQuery, readListState, sortsOf, writeListState, type ListSpec, type ListState } from './list-state';

export const productListSpec: ListSpec = {
  sorts: sortsOf(['sku', 'name', 'createdAt', 'updatedAt', 'stock']),
  defaultSort: 'name',
};

/** The choices of the sort menu, in the order shown. */
export const productSortLabels: ReadonlyArray<[sort: string, label: string]> = [
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['sku', 'SKU A–Z'],
  ['-sku', 'SKU Z–A'],
  ['stock', 'Stock, lowest first'],
  ['-stock', 'Stock, highest first'],
  ['-createdAt', 'Newest first'],
  ['createdAt', 'Oldest first'],
  ['-updatedAt', 'Recently changed'],
];

export type ActiveFilter = '' | 'true' | 'false';

export interface ProductFilters extends ListState {
  /** '' for every category. */
  categoryId: string;
  /** '' for active and inactive products. */
  active: ActiveFilter;
  lowStock: boolean;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readProductFilters(params: URLSearchParams): ProductFilters {
  const categoryId = params.get('categoryId') ?? '';
  const active = params.get('active');
  return {
    ...readListState(params, productListSpec),
    categoryId: uuid.test(categoryId) ? categoryId.toLowerCase() : '',
    active: active === 'true' || active === 'false' ? active : '',
    lowStock: params.get('lowStock') === 'true',
  };
}

export function writeProductFilters(filters: ProductFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.categoryId !== '') params.set('categoryId', filters.categoryId);
  if (filters.active !== '') params.set('active', filters.active);
  if (filters.lowStock) params.set('lowStock', 'true');
  return writeListState(filters, productListSpec, params);
}

/** The query of GET /api/v1/products for these filters. */
export function productQuery(filters: ProductFilters) {
  return {
    ...listQuery(filters),
    ...(filters.categoryId === '' ? {} : { categoryId: filters.categoryId }),
    ...(filters.active === '' ? {} : { active: filters.active }),
    ...(filters.lowStock ? { lowStock: 'true' as const } : {}),
  };
}
