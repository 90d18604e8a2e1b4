// One use case that writes = one Postgres transaction holding its repositories and its outbox
// rows. Opened on a transaction (the consumer's inbox transaction), it runs inside it.
// New rows (a sale with its lines, its outbox row, its Idempotency-Key's response) are queued in a
// write batch and sent as one statement: a sale costs BEGIN, the key's claim, one catalogue read,
// one write and COMMIT (see write-batch.ts and test/statements.int.spec.ts); the last write leaves
// with COMMIT, and BEGIN with the first statement (adapters/src/postgres/pipeline.ts).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { outboxRows, outboxWritten } from '@tulity/adapters/events/outbox';
import { OUTBOX_TABLE } from '@tulity/adapters/events/tables';
import type { Reads, Tx, UnitOfWork } from '../../application/ports';
import { toIntegrationEvent } from '../kafka/integration-events';
import { catalogueRepository } from './catalogue.repository';
import { idempotencyKeys } from './idempotency-keys.repository';
import { purchaseReads, purchaseRepository } from './purchase.repository';
import { reportReads } from './reports.queries';
import { saleReads, saleRepository } from './sale.repository';
import { writeBatch } from './write-batch';

/** `outgoing`: the catalogue of the events transactions publishes (their topics and schemas). */
export function createUnitOfWork(db: Knex | Knex.Transaction, outgoing: EventCatalogue): UnitOfWork {
  const reads: Reads = {
    sales: saleReads(db as Knex),
    purchases: purchaseReads(db as Knex),
    reports: reportReads(db as Knex),
  };
  // Inside the consumer's inbox transaction a use case joins it rather than opening a savepoint: a
  // failure rolls the whole transaction back anyway, and a savepoint costs two statements per event.
  const inTransaction = <T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db as Knex.Transaction) : transaction(db, work);
  return {
    run: (correlationId, work) =>
      inTransaction(async (trx) => {
        const batch = writeBatch(trx);
        const tx: Tx = {
          sales: saleRepository(batch),
          purchases: purchaseRepository(batch),
          catalogue: catalogueRepository(batch),
          idempotency: idempotencyKeys(batch),
          events: {
            // The rows are built (and their payloads checked) now; their insert is queued.
            async record(events) {
              if (events.length === 0) return;
              const rows = outboxRows(
                outgoing,
                events.map((event) => toIntegrationEvent(event, { eventId: randomUUID(), correlationId })),
              );
              batch.queue((queued) => queued(OUTBOX_TABLE).insert(rows));
              outboxWritten(trx);
            },
          },
        };
        const result = await work(tx);
        // Whatever the work queued commits with it, or fails it.
        await batch.deferred();
        return result;
      }),
    read: (work) => work(reads),
  };
}
