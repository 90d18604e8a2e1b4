import type { Knex } from 'knex';

/**
 * A short transaction costs round trips, not rows: each statement is a write and a read on both
 * ends of a socket and a wait in between (docs/performance.md). Two kinds of statement carry
 * nothing the work waits for: BEGIN, and an insert whose answer nobody reads (the outbox's rows).
 * So BEGIN waits, and goes out in one write with the transaction's first statement; a deferred
 * insert goes out in one write with the statement after it, COMMIT at the latest.
 *
 * The pool's connections are in pg's pipeline mode, which sends statements without waiting for
 * the answers before them. Each keeps its own Sync, so a failing one leaves the transaction aborted
 * and what follows fails too (COMMIT then rolls back): as if they had gone one by one. Only BEGIN
 * failing while the next statement succeeds would differ, and BEGIN fails only with the session.
 */

/** A statement ready for the wire: knex's compiled text and bindings. */
export interface Statement {
  sql: string;
  bindings?: readonly unknown[];
}

// Keyed by the transaction's own knex client, the `this` of every query the transaction runs.
const deferredBy = new WeakMap<object, Statement[]>();
const beginWaiting = new WeakSet<object>();

/**
 * Inserts `write`'s rows with the transaction's next statement instead of now. Its failure fails
 * that statement (COMMIT, at the latest), so nothing that reads the answer may be deferred. Outside
 * a transaction there is no next statement: it runs now.
 */
export async function deferWrite(db: Knex | Knex.Transaction, write: Knex.QueryBuilder | Knex.Raw): Promise<void> {
  if (!db.isTransaction) {
    await write;
    return;
  }
  const statement: Statement = write.toSQL().toNative();
  const client = db.client as Knex.Client;
  // What knex tells listeners of every statement, in the order the work wrote them.
  client.emit('query', statement);
  const deferred = deferredBy.get(client);
  if (deferred) deferred.push(statement);
  else deferredBy.set(client, [statement]);
}

/** Queries on a pg client in pipeline mode, written without waiting for the answers before them. */
interface PipelinedConnection {
  query(text: string): Promise<unknown>;
  connection: { stream: { cork(): void; uncork(): void } };
}

/** Puts a new pooled pg client in pipeline mode (before it runs anything). */
export function pipelining(connection: object): void {
  (connection as { pipeline: boolean }).pipeline = true;
}

type Send = (statement: Statement) => Promise<unknown>;
const answered = <T extends object>(query: T, command: string) =>
  Promise.resolve(Object.assign(query, { response: { command, rows: [], rowCount: null } }));

/**
 * Runs `query` on a transaction's connection with what waits before it: a BEGIN held back, the
 * deferred writes. `client` is the knex client the query runs on, `send` what sends one statement.
 */
export function withWaiting<T extends Statement>(client: object, connection: object, query: T, send: Send) {
  if (query.sql === 'BEGIN;') {
    beginWaiting.add(connection);
    return answered(query, 'BEGIN');
  }
  const begin = beginWaiting.delete(connection);
  const writes = deferredBy.get(client) ?? [];
  deferredBy.delete(client);
  // Nothing went out yet: there is nothing to end.
  if (begin && (query.sql === 'ROLLBACK' || (query.sql === 'COMMIT;' && writes.length === 0))) {
    return answered(query, query.sql.replace(';', ''));
  }
  // Rolled back: the deferred writes need not go at all.
  if (query.sql === 'ROLLBACK' || (!begin && writes.length === 0)) return send(query);
  const leading: Statement[] = begin ? [{ sql: 'BEGIN' }, ...writes] : writes;
  const { stream } = (connection as PipelinedConnection).connection;
  stream.cork();
  let answers: Promise<unknown>[];
  let result: Promise<unknown>;
  try {
    answers = leading.map(send);
    result = send(query);
  } finally {
    stream.uncork();
  }
  for (const answer of [...answers, result]) answer.catch(() => {});
  return (async () => {
    // The first failure is the one to report; the statements behind it failed because of it.
    for (const answer of answers) await answer;
    return result;
  })();
}
