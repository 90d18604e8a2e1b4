import type { Knex } from 'knex';
import { INBOX_TABLE } from '../tables';
import { DeadLetter } from './dead-letter';
import { PermanentEventError, type EventHandler, type IncomingEvent } from './event';

/**
 * Postgres's class 22 (data exception: text that is no uuid, a number out of range, …) is about
 * the event's content, so retrying cannot help; it must not hold the partition for every retry.
 */
const isDataException = (error: unknown) => /^22[0-9A-Z]{3}$/.test(String((error as { code?: unknown }).code ?? ''));

/** Applies events in the caller's transaction; per event, whether it was applied (false: a duplicate). */
export type ApplyInTransaction = (trx: Knex.Transaction, events: IncomingEvent[]) => Promise<boolean[]>;

/**
 * Takes the row locks the handlers of these events will take, in one order, before the first
 * handler runs. A run holds every lock its events took until it commits, so without this two
 * partitions' runs that touch the same rows in different orders deadlock, and both fall back to
 * one transaction per event.
 */
export type LockFirst = (trx: Knex.Transaction, events: IncomingEvent[]) => Promise<void>;

/** What a service adds around its handlers in a run's transaction. */
export interface RunHooks {
  lockFirst?: LockFirst;
  /**
   * Runs after the last handler, before the commit: writes the handlers queued for the whole run
   * (their outbox rows, say) go out as one statement instead of one or more per event.
   */
  beforeCommit?: (trx: Knex.Transaction) => Promise<void>;
}

/**
 * Records the events in the inbox with one statement and runs the handler, in order, for each one
 * the inbox did not hold yet: the inbox row and the effect commit together, or neither does.
 */
export function inbox(
  groupId: string,
  handlers: Record<string, EventHandler>,
  { lockFirst, beforeCommit }: RunHooks = {},
): ApplyInTransaction {
  return async (trx, events) => {
    const result = await trx.raw(
      `insert into ${INBOX_TABLE} (group_id, event_id, event_type, topic, partition, "offset")
       select ?, e.id, e.type, e.topic, e.partition, e.offset
         from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[]) as e (id, type, topic, partition, "offset")
       on conflict (group_id, event_id) do nothing returning event_id`,
      [
        groupId,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.topic),
        events.map((e) => e.partition),
        events.map((e) => e.offset),
      ],
    );
    // A run can hold the same event twice (a relay re-send): only its first copy is applied.
    const fresh = new Set<string>(result.rows.map((row: { event_id: string }) => row.event_id));
    if (lockFirst && fresh.size > 0)
      await lockFirst(
        trx,
        events.filter((event) => fresh.has(event.eventId)),
      );
    const applied: boolean[] = [];
    for (const event of events) {
      const isFresh = fresh.delete(event.eventId);
      if (isFresh) {
        try {
          await handlers[event.type]!(event, trx);
        } catch (error) {
          if (error instanceof PermanentEventError) throw new DeadLetter('rejected', error.message);
          if (isDataException(error))
            throw new DeadLetter('rejected', `the database refuses its data: ${(error as Error).message}`);
          throw error;
        }
      }
      applied.push(isFresh);
    }
    if (beforeCommit && applied.includes(true)) await beforeCommit(trx);
    return applied;
  };
}
