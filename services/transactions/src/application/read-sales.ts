import type { Actor } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import { failures } from '../domain/failures';
import { canSee, type Sale, type SaleLine, type SaleReturn } from '../domain/sale';
import type { SaleFilters, SaleSortKey, TransactionsDeps } from './ports';

export function getSale(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: { actor: Actor; id: string }): Promise<Sale> =>
    deps.uow.read(async (reads) => {
      const sale = await reads.sales.get(command.id);
      // Another cashier's sale answers like a missing one, so its existence does not leak.
      if (!sale || !canSee(command.actor, sale)) throw failures.saleNotFound();
      return sale;
    });
}

export function getSaleLine(deps: Pick<TransactionsDeps, 'uow'>) {
  const sale = getSale(deps);
  return async (command: { actor: Actor; id: string; lineId: string }): Promise<SaleLine> => {
    const line = (await sale(command)).lines.find((candidate) => candidate.id === command.lineId);
    if (!line) throw failures.saleLineNotFound();
    return line;
  };
}

/** Cashiers list their own sales, whatever cashier filter they send. */
export function listSales(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: { actor: Actor; query: ListQuery<SaleSortKey> & SaleFilters }): Promise<Page<Sale>> =>
    deps.uow.read((reads) =>
      reads.sales.list(
        command.actor.role === 'cashier' ? { ...command.query, cashierId: command.actor.userId } : command.query,
      ),
    );
}

export function listSaleReturns(deps: Pick<TransactionsDeps, 'uow'>) {
  const sale = getSale(deps);
  return async (command: { actor: Actor; id: string }): Promise<SaleReturn[]> => {
    await sale(command);
    return deps.uow.read((reads) => reads.sales.returnsOf(command.id));
  };
}
