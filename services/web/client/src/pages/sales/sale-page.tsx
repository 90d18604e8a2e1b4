// One sale: its lines and payment, its status followed live while pending, cancel, and returns.
import { Link, useParams } from 'react-router';
import { call, transactions } from '../../api/client';
import { staff } from '../../app/pages';
import { useSession } from '../../app/session';
import { ErrorMessage, Loading, Money, Page, formatDateTime, useResource } from '../../ui';
import { paymentLabels } from './api-types';
import { CancelSale } from './cancel-sale';
import { useLiveSale } from './live-sale';
import { ReturnForm } from './return-form';
import { SaleStatusNotice } from './sale-status';
import { returnable } from './sale-view';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function SalePage() {
  const { id = '' } = useParams();
  const valid = uuid.test(id);
  const { user } = useSession();
  const live = useLiveSale(valid ? id : undefined);
  const returns = useResource(
    () =>
      valid
        ? call(transactions.GET('/api/v1/sales/{id}/returns', { params: { path: { id } } }))
        : Promise.resolve({ items: [] }),
    [id, live.sale?.refundedMinor],
  );
  const sale = live.sale;

  if (!valid) {
    return (
      <Page title="Sale">
        <p className="notice error">This is not a sale's address.</p>
        <Link to="/sales">Back to the sales</Link>
      </Page>
    );
  }
  return (
    <Page
      title="Sale"
      actions={
        <Link className="button" to="/sales">
          All sales
        </Link>
      }
    >
      <ErrorMessage error={live.error} retry={live.reload} />
      {!sale && !live.error ? <Loading /> : null}
      {sale ? (
        <>
          <SaleStatusNotice sale={sale} />
          <div className="card">
            <dl className="facts">
              <dt>Recorded</dt>
              <dd>{formatDateTime(sale.createdAt)}</dd>
              <dt>Payment</dt>
              <dd>{sale.paymentMethod ? paymentLabels[sale.paymentMethod] : '—'}</dd>
              {sale.amountTenderedMinor !== null ? (
                <>
                  <dt>Tendered</dt>
                  <dd>
                    <Money minor={sale.amountTenderedMinor} currency={sale.currency} />
                  </dd>
                  <dt>Change</dt>
                  <dd>
                    <Money minor={sale.changeMinor ?? 0} currency={sale.currency} />
                  </dd>
                </>
              ) : null}
              {sale.note ? (
                <>
                  <dt>Note</dt>
                  <dd>{sale.note}</dd>
                </>
              ) : null}
              {sale.refundedMinor > 0 ? (
                <>
                  <dt>Refunded</dt>
                  <dd>
                    <Money minor={sale.refundedMinor} currency={sale.currency} />
                  </dd>
                </>
              ) : null}
            </dl>
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Product</th>
                  <th className="number">Quantity</th>
                  <th className="number">Price</th>
                  <th className="number">Discount</th>
                  <th className="number">Total</th>
                  <th className="number">Returned</th>
                </tr>
              </thead>
              <tbody>
                {sale.lines.map((line) => (
                  <tr key={line.id}>
                    <td>
                      {line.productName} <span className="muted">{line.sku}</span>
                    </td>
                    <td className="number">
                      {line.quantity} {line.unitName}
                      {line.conversionFactor > 1 ? <span className="muted"> ({line.baseQuantity} base)</span> : null}
                    </td>
                    <td className="number">
                      <Money minor={line.unitPriceMinor} currency={sale.currency} />
                    </td>
                    <td className="number">
                      <Money minor={line.discountMinor} currency={sale.currency} />
                    </td>
                    <td className="number">
                      <Money minor={line.lineTotalMinor} currency={sale.currency} />
                    </td>
                    <td className="number">{line.returnedQuantity || '—'}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th colSpan={4}>Total</th>
                  <td className="number">
                    <strong>
                      <Money minor={sale.totalMinor} currency={sale.currency} />
                    </strong>
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          <div className="actions sale-actions">
            <CancelSale sale={sale} onCancelled={live.update} />
          </div>
          {staff.includes(user.role) && returnable(sale).length > 0 ? (
            <ReturnForm sale={sale} onReturned={(created) => live.update(created.sale)} />
          ) : null}
          {returns.data && returns.data.items.length > 0 ? (
            <section>
              <h2>Returns</h2>
              <ul>
                {returns.data.items.map((item) => (
                  <li key={item.id}>
                    {formatDateTime(item.createdAt)}: refunded{' '}
                    <Money minor={item.refundMinor} currency={sale.currency} />
                    {item.reason ? ` — ${item.reason}` : ''}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <ErrorMessage error={returns.error} />
        </>
      ) : null}
    </Page>
  );
}
