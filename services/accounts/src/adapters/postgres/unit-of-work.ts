import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import type { Outbox } from '@tulity/adapters/events/outbox';
import type { Tx, UnitOfWork } from '../../application/ports';
import { toIntegrationEvent } from '../kafka/integration-events';
import { PostgresSessionRepository } from './session.repository';
import { PostgresUserRepository } from './user.repository';

/**
 * One Postgres transaction per use case: the rows, their outbox events and — because accounts is
 * also a service that must refuse revoked tokens — the revocations those events imply, applied
 * here at once rather than after a round trip through Kafka. `revoked` is told once they commit.
 */
export function createUnitOfWork(
  db: Knex,
  outbox: Outbox,
  options: { maxTokenLifetimeMs: number; revoked?: () => void },
): UnitOfWork {
  const revocations = revocationHandlers({ maxTokenLifetimeMs: options.maxTokenLifetimeMs });
  return {
    run: async (correlationId, work) => {
      let revoking = false;
      const result = await transaction(db, (trx) => {
        const tx: Tx = {
          users: new PostgresUserRepository(trx),
          sessions: new PostgresSessionRepository(trx),
          events: {
            async record(events) {
              const outgoing = events.map((event) => toIntegrationEvent(event, correlationId));
              await outbox.write(trx, outgoing);
              for (const event of outgoing) {
                const revoke = revocations[event.type];
                if (!revoke) continue;
                revoking = true;
                await revoke(event, trx);
              }
            },
          },
        };
        return work(tx);
      });
      // Committed: the answers cached before it must not outlive it.
      if (revoking) options.revoked?.();
      return result;
    },
    read: (work) => work({ users: new PostgresUserRepository(db) }),
  };
}
