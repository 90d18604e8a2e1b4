import type { ListQuery, Page } from '@tulity/adapters/core/page';
import { failures } from '../domain/failures';
import type { Purchase, PurchaseLine } from '../domain/purchase';
import type { PurchaseSortKey, TransactionsDeps } from './ports';

export function getPurchase(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: { id: string }): Promise<Purchase> =>
    deps.uow.read(async (reads) => {
      const purchase = await reads.purchases.get(command.id);
      if (!purchase) throw failures.purchaseNotFound();
      return purchase;
    });
}

export function getPurchaseLine(deps: Pick<TransactionsDeps, 'uow'>) {
  const purchase = getPurchase(deps);
  return async (command: { id: string; lineId: string }): Promise<PurchaseLine> => {
    const line = (await purchase(command)).lines.find((candidate) => candidate.id === command.lineId);
    if (!line) throw failures.purchaseLineNotFound();
    return line;
  };
}

export function listPurchases(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: {
    query: ListQuery<PurchaseSortKey> & { from?: Date; to?: Date; productId?: string };
  }): Promise<Page<Purchase>> => deps.uow.read((reads) => reads.purchases.list(command.query));
}
