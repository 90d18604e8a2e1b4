// Purchases: newest first, paged and sorted through the query string; recording one is a page of its own.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call, transactions } from '../../api/client';
import { Empty, ErrorMessage, Loading, Money, Page, Pager, formatDateTime, useResource } from '../../ui';

const pageSize = 20;
const sorts = {
  '-createdAt': 'Newest first',
  createdAt: 'Oldest first',
  '-totalMinor': 'Largest total',
  supplierName: 'Supplier A–Z',
} as const;
type Sort = keyof typeof sorts;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function PurchasesPage() {
  const [params, setParams] = useSearchParams();
  const rawPage = params.get('page') ?? '1';
  const page = /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  const rawSort = params.get('sort') ?? '-createdAt';
  const sort: Sort = rawSort in sorts ? (rawSort as Sort) : '-createdAt';
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  // A product's purchases, when linked from elsewhere (e.g. /purchases?productId=…).
  const rawProduct = params.get('productId') ?? '';
  const productId = uuid.test(rawProduct) ? rawProduct : '';
  const [search, setSearch] = useState(q);
  const purchases = useResource(
    () =>
      call(
        transactions.GET('/api/v1/purchases', {
          params: { query: { page, pageSize, sort, ...(q ? { q } : {}), ...(productId ? { productId } : {}) } },
        }),
      ),
    [page, sort, q, productId],
  );
  const go = (next: { page?: number; sort?: Sort; q?: string }) => {
    const query = new URLSearchParams();
    const nextSort = next.sort ?? sort;
    const nextPage = next.page ?? 1;
    const nextQ = next.q ?? q;
    if (nextQ) query.set('q', nextQ);
    if (productId) query.set('productId', productId);
    if (nextSort !== '-createdAt') query.set('sort', nextSort);
    if (nextPage !== 1) query.set('page', String(nextPage));
    setParams(query, { replace: true });
  };

  return (
    <Page
      title="Purchases"
      actions={
        <Link className="button primary" to="/purchases/new">
          Record a purchase
        </Link>
      }
    >
      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          go({ q: search.trim() });
        }}
      >
        <label>
          Search suppliers
          <input
            type="search"
            maxLength={100}
            placeholder="Name or reference"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <button type="submit" className="secondary">
          Search
        </button>
        <label>
          Order
          <select value={sort} onChange={(event) => go({ sort: event.target.value as Sort })}>
            {Object.entries(sorts).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {productId ? <span className="muted">One product's purchases</span> : null}
      </form>
      <ErrorMessage error={purchases.error} retry={purchases.reload} />
      {purchases.loading && !purchases.data ? <Loading /> : null}
      {purchases.data && purchases.data.items.length === 0 ? (
        <Empty>{q || productId ? 'No purchase matches.' : 'No purchases recorded yet.'}</Empty>
      ) : null}
      {purchases.data && purchases.data.items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Supplier</th>
                  <th>Items</th>
                  <th className="number">Total</th>
                </tr>
              </thead>
              <tbody>
                {purchases.data.items.map((purchase) => (
                  <tr key={purchase.id}>
                    <td>
                      <Link to={`/purchases/${purchase.id}`}>{formatDateTime(purchase.createdAt)}</Link>
                    </td>
                    <td>
                      {purchase.supplierName}
                      {purchase.supplierReference ? (
                        <span className="muted"> · {purchase.supplierReference}</span>
                      ) : null}
                    </td>
                    <td>
                      {purchase.lines
                        .slice(0, 3)
                        .map((line) => `${line.quantity} × ${line.productName} (${line.unitName})`)
                        .join(', ')}
                      {purchase.lines.length > 3 ? ` and ${purchase.lines.length - 3} more` : ''}
                    </td>
                    <td className="number">
                      <Money minor={purchase.totalMinor} currency={purchase.currency} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={pageSize} total={purchases.data.total} onPage={(next) => go({ page: next })} />
        </>
      ) : null}
    </Page>
  );
}
