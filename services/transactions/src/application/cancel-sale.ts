import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import { cancel, canSee, type Sale } from '../domain/sale';
import type { TransactionsDeps } from './ports';

export interface CancelSaleCommand {
  actor: Actor;
  correlationId: string;
  id: string;
  reason: string | null;
}

/** A pending or confirmed sale is cancelled; products releases its stock on SaleCancelled. */
export function cancelSale(deps: Pick<TransactionsDeps, 'uow' | 'clock'>) {
  return (command: CancelSaleCommand): Promise<Sale> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const sale = await tx.sales.getForUpdate(command.id);
      if (!sale || !canSee(command.actor, sale)) throw failures.saleNotFound();
      const cancelled = cancel(sale, command.actor.userId, command.reason, deps.clock.now());
      await tx.sales.update(cancelled);
      await tx.events.record([{ type: 'SaleCancelled', occurredAt: cancelled.updatedAt, sale: cancelled }]);
      return cancelled;
    });
}
