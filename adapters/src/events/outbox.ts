import type { Knex } from 'knex';
import { avroProblems, avroType } from './avro';
import { definitionOf, type EventCatalogue } from './catalogue';
import { deferWrite } from '../postgres/pipeline';
import { afterCommit } from '../postgres/transaction';
import { OUTBOX_TABLE } from './tables';

/** An event a use case records; it becomes one outbox row. */
export interface OutgoingEvent {
  /** Key into the catalogue: the Avro record full name. */
  type: string;
  /** The Kafka message key: the aggregate id, so events of one aggregate stay in order. */
  key: string;
  /**
   * The Avro record as plain JSON: eventId, occurredAt (epoch ms), correlationId, aggregateId and
   * the event's fields; money and quantities are integers (minor units / base units).
   */
  payload: Record<string, unknown>;
}

/** Writes events into the outbox inside the caller's transaction. */
export interface Outbox {
  write(trx: Knex.Transaction, events: OutgoingEvent[]): Promise<void>;
}

/** A payload that does not fit its Avro schema; the message names every failing field. */
export class EventValidationError extends Error {
  constructor(
    readonly type: string,
    readonly problems: string[],
  ) {
    super(`event ${type} does not match its Avro schema: ${problems.join('; ')}`);
  }
}

/** An outbox row to insert; the relay reads it back with its id and state (relay/claim.ts). */
export interface NewOutboxRow {
  event_id: string;
  event_type: string;
  topic: string;
  key: string;
  payload: string;
  correlation_id: string | null;
}

/**
 * The outbox rows of `events`. Payloads are checked against their Avro schemas here, in the request
 * path, without the registry or Kafka: a bad event fails the use case's transaction instead of
 * blocking the relay later. For a unit of work that sends the rows with its own writes in one
 * statement; `createOutbox` inserts them on their own.
 */
export function outboxRows(catalogue: EventCatalogue, events: OutgoingEvent[]): NewOutboxRow[] {
  return events.map((event) => {
    const definition = definitionOf(catalogue, event.type);
    const problems = avroProblems(avroType(definition.schema), event.payload);
    if (problems.length > 0) throw new EventValidationError(event.type, problems);
    const { eventId, correlationId } = event.payload;
    if (typeof eventId !== 'string' || eventId === '') {
      throw new EventValidationError(event.type, ['eventId: expected a non-empty string']);
    }
    return {
      event_id: eventId,
      event_type: event.type,
      topic: definition.topic,
      key: event.key,
      payload: JSON.stringify(event.payload),
      correlation_id: typeof correlationId === 'string' ? correlationId : null,
    };
  });
}

const committedListeners = new Set<() => void>();
const announceCommitted = () => {
  for (const listener of committedListeners) listener();
};

/**
 * Marks `trx` as one that writes outbox rows: once it commits, this process's relay is woken
 * instead of finding the rows at its next poll. In-process, not Postgres's NOTIFY: a NOTIFY
 * serialises every notifying commit on the server (docs/events.md).
 */
export function outboxWritten(trx: Knex.Transaction): void {
  afterCommit(trx, announceCommitted);
}

/** Calls `listener` after each commit that wrote outbox rows in this process; returns the unsubscribe. */
export function onOutboxCommitted(listener: () => void): () => void {
  committedListeners.add(listener);
  return () => committedListeners.delete(listener);
}

/** The outbox writer: the rows of `outboxRows`, inserted in the caller's transaction. */
export function createOutbox(catalogue: EventCatalogue): Outbox {
  return {
    async write(trx, events) {
      if (events.length === 0) return;
      outboxWritten(trx);
      await deferWrite(trx, trx(OUTBOX_TABLE).insert(outboxRows(catalogue, events)));
    },
  };
}

/**
 * An outbox whose rows wait in memory until `flush(trx)` inserts them, in the order written, as
 * one statement: for a consumer's run, whose events would otherwise cost an insert each. The rows
 * are still checked when written. Rows of a transaction that is never flushed are never written,
 * so it belongs beside the flush (a consumer's `beforeCommit`), nowhere else.
 */
export function deferredOutbox(catalogue: EventCatalogue): Outbox & { flush(trx: Knex.Transaction): Promise<void> } {
  const queued = new WeakMap<Knex.Transaction, NewOutboxRow[]>();
  return {
    async write(trx, events) {
      if (events.length === 0) return;
      const rows = outboxRows(catalogue, events);
      const waiting = queued.get(trx);
      if (waiting) waiting.push(...rows);
      else queued.set(trx, rows);
    },
    async flush(trx) {
      const rows = queued.get(trx);
      if (!rows) return;
      queued.delete(trx);
      outboxWritten(trx);
      await deferWrite(trx, trx(OUTBOX_TABLE).insert(rows));
    },
  };
}
