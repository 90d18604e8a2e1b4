import { settle, type StockOutcome } from '../domain/sale';
import type { TransactionsDeps } from './ports';

export interface SettleSaleCommand {
  correlationId: string;
  saleId: string;
  outcome: StockOutcome;
}

/**
 * Products' answer (StockReserved / StockReservationRejected) moves a pending sale to confirmed or
 * rejected. A sale in any other state, or one this service never recorded, is left alone: returns
 * whether anything changed.
 */
export function settleSale(deps: Pick<TransactionsDeps, 'uow' | 'clock'>) {
  return (command: SettleSaleCommand): Promise<boolean> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const sale = await tx.sales.getForUpdate(command.saleId);
      if (!sale) return false;
      const settled = settle(sale, command.outcome, deps.clock.now());
      if (!settled) return false;
      await tx.sales.update(settled);
      await tx.events.record([
        {
          type: settled.status === 'confirmed' ? 'SaleConfirmed' : 'SaleRejected',
          occurredAt: settled.updatedAt,
          sale: settled,
        },
      ]);
      return true;
    });
}
