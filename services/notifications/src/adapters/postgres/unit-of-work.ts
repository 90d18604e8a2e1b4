import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import type { Reads, Tx, UnitOfWork } from '../../application/ports';
import { AnnouncementRepositoryPg, listAnnouncementRows } from './announcement.repository';
import { NotificationQueriesPg } from './notification.queries';
import { NotificationRepositoryPg } from './notification.repository';
import { RecipientRepositoryPg } from './recipient.repository';
import { TicketRepositoryPg } from './ticket.repository';

/**
 * Tx and Reads over knex. `db` may itself be a transaction — the consumer's inbox transaction — so
 * a handler's use case commits with the event's inbox row. It joins that transaction rather than
 * opening a savepoint: a failure rolls the whole transaction back anyway, and a savepoint would
 * cost two more statements per event. Notifications publish no events, so there is no outbox here.
 */
export function createUnitOfWork(db: Knex, newId: () => string): UnitOfWork {
  const txOver = (trx: Knex.Transaction): Tx => ({
    notifications: new NotificationRepositoryPg(trx, newId),
    recipients: new RecipientRepositoryPg(trx),
    announcements: new AnnouncementRepositoryPg(trx),
    tickets: new TicketRepositoryPg(trx),
  });
  return {
    run: (_correlationId, work) =>
      db.isTransaction ? work(txOver(db as Knex.Transaction)) : transaction(db, (trx) => work(txOver(trx))),
    read: (work) => {
      const reads: Reads = {
        notifications: new NotificationQueriesPg(db),
        announcements: { list: (query) => listAnnouncementRows(db, query) },
      };
      return work(reads);
    },
  };
}
