import type { Knex } from 'knex';

/** A decoded event, resolved into the reader schema of the consumer's catalogue. */
export interface IncomingEvent<P = Record<string, unknown>> {
  type: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  payload: P;
  eventId: string;
}

/** Applies one event inside the transaction that also records it in the inbox. */
export type EventHandler = (event: IncomingEvent<any>, trx: Knex.Transaction) => Promise<void>;

/** Thrown by a handler for an event that can never be applied: it goes to the dead-letter topic. */
export class PermanentEventError extends Error {}
