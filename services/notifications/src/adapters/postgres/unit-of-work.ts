import type { Knex } from 'knex';
import type { Reads, Tx, UnitOfWork } from '../../application/ports';
import { AnnouncementRepositoryPg, listAnnouncementRows } from './announcement.repository';
import { NotificationQueriesPg } from './notification.queries';
import { NotificationRepositoryPg } from './notification.repository';
import { RecipientRepositoryPg } from './recipient.repository';
import { TicketRepositoryPg } from './ticket.repository';

/**
 * Tx and Reads over knex. `db` may itself be a transaction — the consumer's inbox transaction — so
 * a handler's use case commits with the event's inbox row (a nested `run` is a savepoint).
 * Notifications publish no events, so there is no outbox here.
 */
export function createUnitOfWork(db: Knex, newId: () => string): UnitOfWork {
  return {
    run: (_correlationId, work) =>
      db.transaction((trx) => {
        const tx: Tx = {
          notifications: new NotificationRepositoryPg(trx, newId),
          recipients: new RecipientRepositoryPg(trx),
          announcements: new AnnouncementRepositoryPg(trx),
          tickets: new TicketRepositoryPg(trx),
        };
        return work(tx);
      }),
    read: (work) => {
      const reads: Reads = {
        notifications: new NotificationQueriesPg(db),
        announcements: { list: (query) => listAnnouncementRows(db, query) },
      };
      return work(reads);
    },
  };
}
