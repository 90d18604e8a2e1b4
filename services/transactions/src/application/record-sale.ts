import type { Actor } from '@tulity/adapters/core/actor';
import { newSale, type PaymentMethod, type Sale, type SaleRequestLine } from '../domain/sale';
import { once, type IdempotencyCommand } from './idempotency';
import type { TransactionsDeps } from './ports';

export interface RecordSaleCommand {
  actor: Actor;
  correlationId: string;
  idempotency?: IdempotencyCommand;
  lines: SaleRequestLine[];
  note?: string | null;
  paymentMethod?: PaymentMethod | null;
  amountTenderedMinor?: number | null;
}

/**
 * A cashier's sale: priced from the local catalogue, stored pending, SaleRequested to products.
 * `present` renders the response once, so a retry with the same Idempotency-Key gets it verbatim.
 */
export function recordSale<R>(
  deps: Pick<TransactionsDeps, 'uow' | 'clock' | 'ids' | 'settings'>,
  present: (sale: Sale) => R,
) {
  return (command: RecordSaleCommand): Promise<R> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      return once(tx, command.actor, command.idempotency, now, async () => {
        const products = await tx.catalogue.findMany(command.lines.map((line) => line.productId));
        const sale = newSale(
          {
            id: deps.ids.newId(),
            cashierId: command.actor.userId,
            currency: deps.settings.currency,
            lines: command.lines,
            note: command.note,
            paymentMethod: command.paymentMethod,
            amountTenderedMinor: command.amountTenderedMinor,
            now,
            deadlineMs: deps.settings.saleDeadlineMs,
            newId: deps.ids.newId,
          },
          products,
        );
        await tx.sales.insert(sale);
        await tx.events.record([{ type: 'SaleRequested', occurredAt: now, sale }]);
        return present(sale);
      });
    });
}
