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

/**
 * A transaction's repositories, each built when first used: a use case touches one to three of the
 * nine, and building all of them for every transaction was 17 µs of CPU (docs/performance.md).
 */
class Repositories implements Tx {
  #categories?: Tx['categories'];
  #units?: Tx['units'];
  #products?: Tx['products'];
  #levels?: Tx['levels'];
  #prices?: Tx['prices'];
  #stock?: Tx['stock'];
  #reservations?: Tx['reservations'];
  #purchases?: Tx['purchases'];
  #returns?: Tx['returns'];
  readonly events: Tx['events'];

  constructor(
    private readonly trx: Knex.Transaction,
    outbox: Outbox,
    correlationId: string,
  ) {
    this.events = {
      record: (events) =>
        outbox.write(
          trx,
          events.map((event) => toIntegrationEvent(event, correlationId)),
        ),
    };
  }

  get categories() {
    return (this.#categories ??= categoryRepository(this.trx));
  }
  get units() {
    return (this.#units ??= unitRepository(this.trx));
  }
  get products() {
    return (this.#products ??= productRepository(this.trx));
  }
  get levels() {
    return (this.#levels ??= unitLevelRepository(this.trx));
  }
  get prices() {
    return (this.#prices ??= priceRepository(this.trx));
  }
  get stock() {
    return (this.#stock ??= stockRepository(this.trx));
  }
  get reservations() {
    return (this.#reservations ??= reservationRepository(this.trx));
  }
  get purchases() {
    return (this.#purchases ??= purchaseReceipts(this.trx));
  }
  get returns() {
    return (this.#returns ??= saleReturns(this.trx));
  }
}

/** One Postgres transaction per use case: its rows and their outbox events. */
export function createUnitOfWork(db: Knex, outbox: Outbox): ProductsUnitOfWork {
  const txOver = (trx: Knex.Transaction, correlationId: string): Tx => new Repositories(trx, outbox, correlationId);
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
