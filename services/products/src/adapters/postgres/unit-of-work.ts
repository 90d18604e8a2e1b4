import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import type { Outbox } from '@tulity/adapters/events/outbox';
import type { Tx, UnitOfWork } from '../../application/ports';
import { toIntegrationEvent } from '../kafka/integration-events';
import { catalogueQueries } from './catalogue.queries';
import { categoryRepository, unitRepository } from './catalogue.repository';
import { priceRepository } from './price.repository';
import { productRepository, unitLevelRepository } from './product.repository';
import { reservationRepository, saleReturns } from './reservation.repository';
import { purchaseReceipts, stockRepository } from './stock.repository';
import { stockQueries } from './stock.queries';

interface ProductsUnitOfWork extends UnitOfWork {
  /**
   * The same unit of work inside a transaction someone else opened: the consumer's inbox
   * transaction, so the inbox row, the stock rows and the outgoing events commit together.
   */
  joining(trx: Knex.Transaction): UnitOfWork;
}

/** One Postgres transaction per use case: its rows and their outbox events. */
export function createUnitOfWork(db: Knex, outbox: Outbox): ProductsUnitOfWork {
  const txOver = (trx: Knex.Transaction, correlationId: string): Tx => ({
    categories: categoryRepository(trx),
    units: unitRepository(trx),
    products: productRepository(trx),
    levels: unitLevelRepository(trx),
    prices: priceRepository(trx),
    stock: stockRepository(trx),
    reservations: reservationRepository(trx),
    purchases: purchaseReceipts(trx),
    returns: saleReturns(trx),
    events: {
      record: (events) =>
        outbox.write(
          trx,
          events.map((event) => toIntegrationEvent(event, correlationId)),
        ),
    },
  });
  const reads = { ...catalogueQueries(db), ...stockQueries(db) };
  return {
    run: (correlationId, work) => transaction(db, (trx) => work(txOver(trx, correlationId))),
    read: (work) => work(reads),
    joining: (trx) => ({
      run: (correlationId, work) => work(txOver(trx, correlationId)),
      read: (work) => work(reads),
    }),
  };
}
