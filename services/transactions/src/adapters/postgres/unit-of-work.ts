// One use case that writes = one Postgres transaction holding its repositories and its outbox
// rows. Opened on a transaction (the consumer's inbox transaction), it runs inside it.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Outbox } from '@tulity/adapters/events/outbox';
import type { Reads, Tx, UnitOfWork } from '../../application/ports';
import { toIntegrationEvent } from '../kafka/integration-events';
import { catalogueRepository } from './catalogue.repository';
import { idempotencyKeys } from './idempotency-keys.repository';
import { purchaseReads, purchaseRepository } from './purchase.repository';
import { reportReads } from './reports.queries';
import { saleReads, saleRepository } from './sale.repository';

export function createUnitOfWork(db: Knex | Knex.Transaction, outbox: Outbox): UnitOfWork {
  const reads: Reads = {
    sales: saleReads(db as Knex),
    purchases: purchaseReads(db as Knex),
    reports: reportReads(db as Knex),
  };
  return {
    run: (correlationId, work) =>
      db.transaction((trx) => {
        const tx: Tx = {
          sales: saleRepository(trx),
          purchases: purchaseRepository(trx),
          catalogue: catalogueRepository(trx),
          idempotency: idempotencyKeys(trx),
          events: {
            record: (events) =>
              outbox.write(
                trx,
                events.map((event) => toIntegrationEvent(event, { eventId: randomUUID(), correlationId })),
              ),
          },
        };
        return work(tx);
      }),
    read: (work) => work(reads),
  };
}
