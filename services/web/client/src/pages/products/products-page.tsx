// The product list: search by name, SKU or barcode; filter by category, status and low stock;
// sort; page. Everything sits in the query string, so a reload or a shared link keeps it.
import { Link } from 'react-router';
import { call, products } from '../../api/client';
import { ErrorMessage, Loading, Page, Pager, useResource } from '../../ui';
import type { ProductSort } from './api-types';
import { useCanWrite, useNotice, useQueryState } from './hooks';
import { ListEmpty, PageSizeSelect, SearchForm, SelectControl, SuccessNotice } from './list-controls';
import { changeList } from './list-state';
import {
  productQuery,
  productSortLabels,
  readProductFilters,
  writeProductFilters,
  type ActiveFilter,
  type ProductFilters,
} from './product-filters';
import { RefSelect, useNames } from './ref-select';

const statusOptions = [
  ['', 'Active and inactive'],
  ['true', 'Active only'],
  ['false', 'Inactive only'],
] as const;

const isFiltered = (f: ProductFilters) => f.q !== '' || f.categoryId !== '' || f.active !== '' || f.lowStock;

export function ProductsPage() {
  const canWrite = useCanWrite();
  const [filters, setFilters] = useQueryState(readProductFilters, writeProductFilters);
  const notice = useNotice();
  const list = useResource(
    () =>
      call(
        products.GET('/api/v1/products', {
          params: { query: { ...productQuery(filters), sort: filters.sort as ProductSort } },
        }),
      ),
    [filters],
  );
  const change = (next: Partial<ProductFilters>) => setFilters(changeList(filters, next));
  const items = list.data?.items ?? [];
  const categories = useNames(
    'categories',
    items.map((p) => p.categoryId),
  );
  const units = useNames(
    'units',
    items.map((p) => p.baseUnitId),
  );

  return (
    <Page
      title="Products"
      actions={
        canWrite ? (
          <Link className="button primary" to="/products/new">
            New product
          </Link>
        ) : null
      }
    >
      <div className="list-controls">
        <SearchForm
          label="Search products"
          hint="Name, SKU or barcode."
          value={filters.q}
          onSearch={(q) => change({ q })}
        />
        <RefSelect
          kind="categories"
          label="Category"
          findLabel="Find category"
          emptyLabel="All categories"
          value={filters.categoryId}
          onChange={(categoryId) => change({ categoryId })}
        />
        <SelectControl
          id="product-status"
          label="Status"
          value={filters.active}
          options={statusOptions}
          onChange={(active) => change({ active: active as ActiveFilter })}
        />
        <div className="control checkbox">
          <input
            id="product-low-stock"
            type="checkbox"
            checked={filters.lowStock}
            onChange={(event) => change({ lowStock: event.target.checked })}
          />
          <label htmlFor="product-low-stock">Low stock only</label>
        </div>
        <SelectControl
          id="product-sort"
          label="Sort by"
          value={filters.sort}
          options={productSortLabels}
          onChange={(sort) => change({ sort })}
        />
        <PageSizeSelect value={filters.pageSize} onChange={(pageSize) => change({ pageSize })} />
      </div>
      {isFiltered(filters) ? (
        <p>
          <Link to="/products">Clear all filters</Link>
        </p>
      ) : null}

      <SuccessNotice message={notice} />
      <ErrorMessage error={list.error} retry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading products…" /> : null}
      {list.data && list.data.items.length === 0 ? (
        <ListEmpty page={filters.page} onFirstPage={() => change({})}>
          {isFiltered(filters) ? 'No product matches these filters.' : 'No products yet.'}
        </ListEmpty>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-busy={list.loading}>
            <caption className="visually-hidden">Products</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">SKU</th>
                <th scope="col" className="wide-only">
                  Category
                </th>
                <th scope="col" className="number">
                  Stock
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((product) => (
                <tr key={product.id}>
                  <th scope="row">
                    <Link to={`/products/${product.id}`}>{product.name}</Link>
                  </th>
                  <td>
                    <code>{product.sku}</code>
                  </td>
                  <td className="wide-only">{categories.get(product.categoryId)?.name ?? '…'}</td>
                  <td className="number">
                    {product.stockQuantity} {units.get(product.baseUnitId)?.abbreviation ?? ''}
                  </td>
                  <td>
                    <span className="tags">
                      {product.active ? null : <span className="tag">Inactive</span>}
                      {product.stockQuantity <= product.lowStockThreshold ? (
                        <span className="tag warn">Low stock</span>
                      ) : null}
                      {product.active && product.stockQuantity > product.lowStockThreshold ? (
                        <span className="tag ok">Active</span>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.data ? (
        <Pager
          page={filters.page}
          pageSize={filters.pageSize}
          total={list.data.total}
          onPage={(page) => change({ page })}
        />
      ) : null}
    </Page>
  );
}
