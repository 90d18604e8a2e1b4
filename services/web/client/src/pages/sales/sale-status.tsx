import { Money } from '../../ui';
import { statusLabels, type Sale } from './api-types';
import { rejectionText, shortageText } from './sale-view';

/** Where a sale stands, in words: waiting for stock, confirmed with the change, rejected with what was short. */
export function SaleStatusNotice({
  sale,
  baseUnitOf = () => undefined,
}: {
  sale: Sale;
  /** The base unit's name of a product, when the page knows it. */
  baseUnitOf?: (productId: string) => string | undefined;
}) {
  switch (sale.status) {
    case 'pending':
      return (
        <p className="notice info sale-status" data-status="pending">
          <span className="spinner" aria-hidden="true" />
          <span>
            <strong>{statusLabels.pending}</strong>: waiting for the stock to be reserved…
          </span>
        </p>
      );
    case 'confirmed':
      return (
        <div className="notice success sale-status" data-status="confirmed">
          <strong>{statusLabels.confirmed}</strong>
          <span>
            Total <Money minor={sale.totalMinor} currency={sale.currency} />
          </span>
          {sale.changeMinor !== null ? (
            <span className="sale-change">
              Change <Money minor={sale.changeMinor} currency={sale.currency} />
            </span>
          ) : null}
        </div>
      );
    case 'rejected':
      return (
        <div className="notice error sale-status" data-status="rejected" role="alert">
          <strong>{statusLabels.rejected}</strong>
          <span>{sale.rejection ? rejectionText(sale.rejection.reason) : 'The stock could not be reserved.'}</span>
          {sale.rejection && sale.rejection.shortages.length > 0 ? (
            <ul className="shortages">
              {sale.rejection.shortages.map((shortage) => (
                <li key={shortage.productId}>{shortageText(sale, shortage, baseUnitOf(shortage.productId))}</li>
              ))}
            </ul>
          ) : null}
        </div>
      );
    case 'cancelled':
      return (
        <p className="notice warning sale-status" data-status="cancelled">
          <strong>{statusLabels.cancelled}</strong>
          {sale.cancellation?.reason ? <span>: {sale.cancellation.reason}</span> : null}
        </p>
      );
  }
}
