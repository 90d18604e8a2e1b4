import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import { returnGoods, type ReturnRequestLine, type Sale, type SaleReturn } from '../domain/sale';
import { once, type IdempotencyCommand } from './idempotency';
import type { TransactionsDeps } from './ports';

export interface ReturnSaleCommand {
  actor: Actor;
  correlationId: string;
  idempotency?: IdempotencyCommand;
  saleId: string;
  lines: ReturnRequestLine[];
  reason: string | null;
}

/** Goods of a confirmed sale come back; SaleReturned makes products put them back into stock. */
export function returnSale<R>(
  deps: Pick<TransactionsDeps, 'uow' | 'clock' | 'ids'>,
  present: (sale: Sale, saleReturn: SaleReturn) => R,
) {
  return (command: ReturnSaleCommand): Promise<R> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      return once(tx, command.actor, command.idempotency, now, async () => {
        const sale = await tx.sales.getForUpdate(command.saleId);
        if (!sale) throw failures.saleNotFound();
        const outcome = returnGoods(sale, {
          id: deps.ids.newId(),
          by: command.actor.userId,
          reason: command.reason,
          lines: command.lines,
          at: now,
        });
        await tx.sales.update(outcome.sale);
        await tx.sales.insertReturn(outcome.saleReturn);
        await tx.events.record([
          { type: 'SaleReturned', occurredAt: now, sale: outcome.sale, saleReturn: outcome.saleReturn },
        ]);
        return present(outcome.sale, outcome.saleReturn);
      });
    });
}
