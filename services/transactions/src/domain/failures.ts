// Every failure code of the transactions service is built here, and nowhere else.
import { conflict, notFound, unprocessable, type FieldProblem } from '@tulity/adapters/core/failure';

export const failures = {
  saleNotFound: () => notFound('SALE.NOT_FOUND', 'There is no such sale.'),
  saleLineNotFound: () => notFound('SALE.LINE_NOT_FOUND', 'The sale has no such line.'),
  purchaseNotFound: () => notFound('PURCHASE.NOT_FOUND', 'There is no such purchase.'),
  purchaseLineNotFound: () => notFound('PURCHASE.LINE_NOT_FOUND', 'The purchase has no such line.'),
  /** One entry per line that names a product or unit level that cannot be sold or bought. */
  linesUnusable: (fields: FieldProblem[]) =>
    unprocessable('LINES.UNUSABLE', 'Some lines name a product or unit level that cannot be used.', fields),
  discountTooLarge: (field: string) =>
    unprocessable('SALE.DISCOUNT_TOO_LARGE', 'A discount cannot exceed its line total.', [
      { field, message: 'Larger than the line total.' },
    ]),
  tenderedTooLittle: () =>
    unprocessable('SALE.TENDERED_TOO_LITTLE', 'The cash tendered does not cover the total.', [
      { field: 'amountTenderedMinor', message: 'Less than the total.' },
    ]),
  tenderedNotCash: () =>
    unprocessable('SALE.TENDERED_NOT_CASH', 'An amount tendered is only recorded for cash payments.', [
      { field: 'amountTenderedMinor', message: 'Only for paymentMethod "cash".' },
    ]),
  totalTooLarge: () => unprocessable('SALE.TOTAL_TOO_LARGE', 'The total exceeds what can be recorded.'),
  notCancellable: (status: string) => conflict('SALE.NOT_CANCELLABLE', `A ${status} sale cannot be cancelled.`),
  returnedNotCancellable: () =>
    conflict('SALE.NOT_CANCELLABLE', 'A sale with returns cannot be cancelled; return the rest instead.'),
  notReturnable: (status: string) =>
    conflict('SALE.NOT_RETURNABLE', `Only a confirmed sale takes returns; this one is ${status}.`),
  returnUnknownLine: (field: string) =>
    unprocessable('RETURN.UNKNOWN_LINE', 'A returned line is not a line of this sale.', [
      { field, message: 'Not a line of this sale.' },
    ]),
  returnTooMuch: (field: string, left: number) =>
    unprocessable('RETURN.TOO_MUCH', 'More would come back than was sold.', [
      { field, message: `At most ${left} can still be returned.` },
    ]),
  returnDuplicateLine: (field: string) =>
    unprocessable('RETURN.DUPLICATE_LINE', 'A sale line appears twice in one return.', [
      { field, message: 'Already in this return.' },
    ]),
  idempotencyKeyReused: () =>
    unprocessable('IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was used with a different request body.', [
      { field: 'Idempotency-Key', message: 'Used before with another body; send a new key.' },
    ]),
};
