import type { Knex } from 'knex';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import type { Outbox } from '@tulity/adapters/events/outbox';
import type { Tx, UnitOfWork } from '../../application/ports';
import { toIntegrationEvent } from '../kafka/integration-events';
import { KnexSessionRepository } from './knex-session.repository';
import { KnexUserRepository } from './knex-user.repository';

/**
 * One Postgres transaction per use case: the rows, their outbox events and — because accounts is
 * also a service that must refuse revoked tokens — the revocations those events imply, applied
 * here at once rather than after a round trip through Kafka.
 */
export function createKnexUnitOfWork(db: Knex, outbox: Outbox, options: { maxTokenLifetimeMs: number }): UnitOfWork {
  const revocations = revocationHandlers({ maxTokenLifetimeMs: options.maxTokenLifetimeMs });
  return {
    run: (correlationId, work) =>
      db.transaction((trx) => {
        const tx: Tx = {
          users: new KnexUserRepository(trx),
          sessions: new KnexSessionRepository(trx),
          events: {
            async record(events) {
              const outgoing = events.map((event) => toIntegrationEvent(event, correlationId));
              await outbox.write(trx, outgoing);
              for (const event of outgoing) await revocations[event.type]?.(event, trx);
            },
          },
        };
        return work(tx);
      }),
    read: (work) => work({ users: new KnexUserRepository(db) }),
  };
}
