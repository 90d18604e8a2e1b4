// Two consumer runs applied at once against the real Postgres, each in its own transaction, with
// each run's first event applied before either goes on to its second: the interleaving in which
// runs that take row locks event by event, in different orders, deadlock.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EventHandler, IncomingEvent } from '../events/consumer/event';
import { inbox, type RunHooks } from '../events/consumer/inbox';
import { transaction } from '../postgres/transaction';

export function applyInterleaved(
  db: Knex,
  handlers: Record<string, EventHandler>,
  hooks: RunHooks,
  runs: [IncomingEvent[], IncomingEvent[]],
): Promise<PromiseSettledResult<boolean[]>[]> {
  const firstDone = [false, false];
  const pids = [0, 0];
  // The other run is past its first event, or waiting for a lock this one holds.
  const otherGoneOnOrWaiting = async (other: number) => {
    while (!firstDone[other]) {
      const { rows } = await db.raw(`select wait_event_type from pg_stat_activity where pid = ?`, [pids[other]!]);
      if (rows[0]?.wait_event_type === 'Lock') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return Promise.allSettled(
    runs.map((events, index) => {
      const paced = Object.fromEntries(
        Object.entries(handlers).map(([type, handle]): [string, EventHandler] => [
          type,
          async (event, trx) => {
            await handle(event, trx);
            if (event !== events[0]) return;
            firstDone[index] = true;
            await otherGoneOnOrWaiting(1 - index);
          },
        ]),
      );
      const applyIn = inbox(`interleaved-${randomUUID()}`, paced, hooks);
      return transaction(db, async (trx) => {
        pids[index] = (await trx.raw('select pg_backend_pid() as pid')).rows[0].pid;
        return applyIn(trx, events);
      });
    }),
  );
}

/** The SQLSTATEs of the runs that failed. */
export const failedCodes = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as { code?: unknown }).code)] : []));
