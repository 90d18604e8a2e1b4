// Sales history: filters in the query string, newest first; cashiers see their own sales.
import { useSearchParams, Link } from 'react-router';
import { call, transactions } from '../../api/client';
import { useSession } from '../../app/session';
import { Empty, ErrorMessage, Loading, Money, Page, Pager, formatDateTime, useResource } from '../../ui';
import { paymentLabels, paymentMethods, saleStatuses, statusLabels } from './api-types';
import { pageSize, readSaleFilters, saleQueryOf, saleSorts, writeSaleFilters, type SaleFilters } from './sale-filters';

const sortLabels: Record<(typeof saleSorts)[number], string> = {
  '-createdAt': 'Newest first',
  createdAt: 'Oldest first',
  '-totalMinor': 'Largest total',
  totalMinor: 'Smallest total',
  status: 'Status A–Z',
  '-status': 'Status Z–A',
};

export function SalesPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = readSaleFilters(params);
  const key = writeSaleFilters(filters).toString();
  const sales = useResource(
    () => call(transactions.GET('/api/v1/sales', { params: { query: saleQueryOf(filters) } })),
    [key],
  );
  const change = (next: Partial<SaleFilters>) =>
    setParams(writeSaleFilters({ ...filters, page: 1, ...next }), { replace: true });
  const invalidRange = filters.from && filters.to && filters.from > filters.to;

  return (
    <Page
      title={user.role === 'cashier' ? 'My sales' : 'Sales'}
      actions={
        <Link className="button primary" to="/pos">
          New sale
        </Link>
      }
    >
      <form className="card filters" aria-label="Filter sales" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status
          <select
            value={filters.status}
            onChange={(event) => change({ status: event.target.value as SaleFilters['status'] })}
          >
            <option value="">Any</option>
            {saleStatuses.map((status) => (
              <option key={status} value={status}>
                {statusLabels[status]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Payment
          <select
            value={filters.paymentMethod}
            onChange={(event) => change({ paymentMethod: event.target.value as SaleFilters['paymentMethod'] })}
          >
            <option value="">Any</option>
            {paymentMethods.map((method) => (
              <option key={method} value={method}>
                {paymentLabels[method]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filters.from} onChange={(event) => change({ from: event.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} onChange={(event) => change({ to: event.target.value })} />
        </label>
        <label>
          Order
          <select
            value={filters.sort}
            onChange={(event) => change({ sort: event.target.value as SaleFilters['sort'] })}
          >
            {saleSorts.map((sort) => (
              <option key={sort} value={sort}>
                {sortLabels[sort]}
              </option>
            ))}
          </select>
        </label>
        {key ? (
          <button
            type="button"
            className="secondary"
            onClick={() => setParams(new URLSearchParams(), { replace: true })}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      {invalidRange ? <p className="notice warning">The "from" day is after the "to" day: nothing can match.</p> : null}
      <ErrorMessage error={sales.error} retry={sales.reload} />
      {sales.loading && !sales.data ? <Loading /> : null}
      {sales.data && sales.data.items.length === 0 ? (
        <Empty>{key ? 'No sale matches these filters.' : 'No sales yet.'}</Empty>
      ) : null}
      {sales.data && sales.data.items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Status</th>
                  <th>Items</th>
                  <th>Payment</th>
                  <th className="number">Total</th>
                </tr>
              </thead>
              <tbody>
                {sales.data.items.map((sale) => (
                  <tr key={sale.id}>
                    <td>
                      <Link to={`/sales/${sale.id}`}>{formatDateTime(sale.createdAt)}</Link>
                    </td>
                    <td>
                      <span className={`status status-${sale.status}`}>{statusLabels[sale.status]}</span>
                    </td>
                    <td>
                      {sale.lines
                        .slice(0, 3)
                        .map((line) => `${line.quantity} × ${line.productName} (${line.unitName})`)
                        .join(', ')}
                      {sale.lines.length > 3 ? ` and ${sale.lines.length - 3} more` : ''}
                    </td>
                    <td>{sale.paymentMethod ? paymentLabels[sale.paymentMethod] : '—'}</td>
                    <td className="number">
                      <Money minor={sale.totalMinor} currency={sale.currency} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={filters.page}
            pageSize={pageSize}
            total={sales.data.total}
            onPage={(page) => setParams(writeSaleFilters({ ...filters, page }))}
          />
        </>
      ) : null}
    </Page>
  );
}
