// Products' catalogue events → the local read model. Each runs in the consumer's inbox
// transaction (the unit of work is opened on it), so a redelivered event changes nothing.
import type { CatalogueProductUpdate, PriceUpdate, TransactionsDeps } from './ports';

export function productAnnounced(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: { correlationId: string; product: CatalogueProductUpdate }): Promise<void> =>
    deps.uow.run(command.correlationId, (tx) => tx.catalogue.upsertProduct(command.product));
}

export function productDeleted(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: { correlationId: string; productId: string }): Promise<void> =>
    deps.uow.run(command.correlationId, (tx) => tx.catalogue.markDeleted(command.productId));
}

export function priceChanged(deps: Pick<TransactionsDeps, 'uow'>) {
  return (command: { correlationId: string; price: PriceUpdate }): Promise<void> =>
    deps.uow.run(command.correlationId, (tx) => tx.catalogue.setPrice(command.price));
}
