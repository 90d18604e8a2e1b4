import type { Page } from '@tulity/adapters/core/page';
import { failures } from '../domain/failures';
import type { MovementListQuery, MovementView, ProductsDeps, StockView } from './ports';
import { existing, found } from './view-catalogue';

export function getStock(deps: Pick<ProductsDeps, 'uow'>) {
  return (productId: string): Promise<StockView> =>
    deps.uow.read(async (reads) => found(await reads.stock.get(productId), failures.productNotFound));
}

/** The stock ledger of a product, newest first by default. */
export function listMovements(deps: Pick<ProductsDeps, 'uow'>) {
  return (productId: string, query: MovementListQuery): Promise<Page<MovementView>> =>
    deps.uow.read(async (reads) => {
      await existing(reads, productId);
      return reads.stock.movements(productId, query);
    });
}
