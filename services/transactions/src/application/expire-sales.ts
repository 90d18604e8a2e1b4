import { expire } from '../domain/sale';
import type { TransactionsDeps } from './ports';

/**
 * Cancels pending sales whose deadline passed, each in its own transaction under its row lock, so
 * a reservation committed meanwhile wins and two instances never cancel one sale twice. Returns
 * how many were cancelled.
 */
export function expireOverdueSales(deps: Pick<TransactionsDeps, 'uow' | 'clock' | 'ids'>) {
  return async (command: { limit: number }): Promise<number> => {
    const overdue = await deps.uow.read((reads) => reads.sales.overdue(deps.clock.now(), command.limit));
    let cancelled = 0;
    for (const id of overdue) {
      const done = await deps.uow.run(deps.ids.newId(), async (tx) => {
        const sale = await tx.sales.getForUpdate(id);
        const expired = sale && expire(sale, deps.clock.now());
        if (!expired) return false;
        await tx.sales.update(expired);
        await tx.events.record([{ type: 'SaleCancelled', occurredAt: expired.updatedAt, sale: expired }]);
        return true;
      });
      if (done) cancelled++;
    }
    return cancelled;
  };
}
