import { Link, useParams } from 'react-router';
import { call, transactions } from '../../api/client';
import { ErrorMessage, Loading, Money, Page, formatDateTime, useResource } from '../../ui';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function PurchasePage() {
  const { id = '' } = useParams();
  const valid = uuid.test(id);
  const purchase = useResource(
    () =>
      valid
        ? call(transactions.GET('/api/v1/purchases/{id}', { params: { path: { id } } }))
        : Promise.reject(new Error("This is not a purchase's address.")),
    [id],
  );
  const data = purchase.data;
  return (
    <Page
      title="Purchase"
      actions={
        <Link className="button" to="/purchases">
          All purchases
        </Link>
      }
    >
      <ErrorMessage error={purchase.error} retry={valid ? purchase.reload : undefined} />
      {purchase.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <div className="card">
            <dl className="facts">
              <dt>Recorded</dt>
              <dd>{formatDateTime(data.createdAt)}</dd>
              <dt>Supplier</dt>
              <dd>{data.supplierName}</dd>
              {data.supplierReference ? (
                <>
                  <dt>Reference</dt>
                  <dd>{data.supplierReference}</dd>
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
                  <th className="number">Unit cost</th>
                  <th className="number">Total</th>
                </tr>
              </thead>
              <tbody>
                {data.lines.map((line) => (
                  <tr key={line.id}>
                    <td>
                      <Link to={`/products/${line.productId}`}>{line.productName}</Link>{' '}
                      <span className="muted">{line.sku}</span>
                    </td>
                    <td className="number">
                      {line.quantity} {line.unitName}
                      {line.conversionFactor > 1 ? <span className="muted"> ({line.baseQuantity} base)</span> : null}
                    </td>
                    <td className="number">
                      <Money minor={line.unitCostMinor} currency={data.currency} />
                    </td>
                    <td className="number">
                      <Money minor={line.lineTotalMinor} currency={data.currency} />
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th colSpan={3}>Total</th>
                  <td className="number">
                    <strong>
                      <Money minor={data.totalMinor} currency={data.currency} />
                    </strong>
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      ) : null}
    </Page>
  );
}
