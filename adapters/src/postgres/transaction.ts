import type { Knex } from 'knex';
import { retire } from './database';

/**
 * `db.transaction(work)` without a knex instance built for every transaction. Knex's own builds a
 * whole one (a closure for each of its hundred-odd builder methods, four listeners on a copy of
 * the client) and wraps every statement in two more promises: 140–240 µs of CPU a transaction on
 * these machines, more than its statements (docs/performance.md). Here a transaction is a function
 * whose prototype is the pool's knex instance, with a context and a client of its own: the client
 * is the pool's, bound to the one connection, and refuses to run once the transaction has ended,
 * as knex's does.
 *
 * The same contract: BEGIN (held back until the first statement, ./pipeline.ts), the work, COMMIT;
 * ROLLBACK when the work throws, and the work's error is what the caller gets. Inside a
 * transaction, and for `trx.transaction(work)`, the work runs in a savepoint.
 */
export async function transaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (db.isTransaction) return db.transaction(work);
  const pool = db.client as Knex.Client;
  const connection: object = await pool.acquireConnection();
  const client = Object.create(boundClientOf(pool)) as BoundClient;
  client.connection = connection;
  client.ended = false;
  client.committed = [];
  let result: T;
  try {
    await client.query(connection, { sql: 'BEGIN;' });
    try {
      result = await work(transactor(db, client));
    } catch (error) {
      await client.query(connection, { sql: 'ROLLBACK' }).catch(() => retire(connection, 'its ROLLBACK failed'));
      throw error;
    }
    await client.query(connection, { sql: 'COMMIT;' });
  } finally {
    client.ended = true;
    await pool.releaseConnection(connection);
  }
  for (const hook of client.committed) {
    try {
      hook();
    } catch {
      // The data is committed: the caller must not take the transaction for a failed one.
    }
  }
  return result;
}

/**
 * Runs `hook` once the transaction `trx` belongs to has committed, and never if it rolls back: for
 * news that must not run ahead of the data, such as waking the relay. A hook given twice runs once;
 * one that throws is ignored. A transaction that `transaction` did not begin (knex's own) runs none.
 */
export function afterCommit(trx: Knex.Transaction, hook: () => void): void {
  const client = (trx as unknown as { context?: { client?: Partial<BoundClient> } }).context?.client;
  const hooks = client?.committed;
  if (hooks && !hooks.includes(hook)) hooks.push(hook);
}

/** The pool's client, bound to one transaction's connection. */
interface BoundClient extends Knex.Client {
  connection: object;
  ended: boolean;
  /** Run after the COMMIT (`afterCommit`). */
  committed: Array<() => void>;
  query(connection: object, query: { sql: string }): Promise<unknown>;
}

const boundClients = new WeakMap<Knex.Client, BoundClient>();

/**
 * What every transaction's client inherits: the pool's client with its connection handling
 * replaced. Its settings and listeners are the pool's, so `query` events still reach whoever
 * listens on the pool.
 */
function boundClientOf(pool: Knex.Client): BoundClient {
  let bound = boundClients.get(pool);
  if (bound) return bound;
  const poolQuery = (pool as BoundClient).query;
  bound = Object.create(pool, {
    transacting: { value: true },
    acquireConnection: {
      value(this: BoundClient) {
        return Promise.resolve(this.connection);
      },
    },
    releaseConnection: { value: () => Promise.resolve() },
    query: {
      value(this: BoundClient, connection: object, query: { sql: string }) {
        if (this.ended) return Promise.reject(new Error(`the transaction has ended: ${query.sql}`));
        if (connection !== this.connection) return Promise.reject(new Error('a connection outside the transaction'));
        return poolQuery.call(this, connection, query);
      },
    },
  }) as BoundClient;
  boundClients.set(pool, bound);
  return bound;
}

/** Where a knex instance's methods find their client (knex's make-knex.js; untyped). */
interface Context {
  client: Knex.Client;
  queryBuilder(): Knex.QueryBuilder;
  transactor: Knex.Transaction;
}

/** The pool's knex instance, with the transaction's client in a context of its own. */
function transactor(db: Knex, client: BoundClient): Knex.Transaction {
  const context = Object.create((db as unknown as { context: Context }).context) as Context;
  const trx = function (table: string) {
    return context.queryBuilder().table(table);
  } as unknown as Knex.Transaction;
  Object.setPrototypeOf(trx, db);
  Object.assign(context, { client, transactor: trx, transaction: savepoint });
  Object.assign(trx, { context, isTransaction: true });
  return trx;
}

let savepoints = 0;

/** `trx.transaction(work)`: the work in a savepoint, rolled back to it when the work throws. */
async function savepoint<T>(this: Context, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const name = `s${++savepoints}`;
  const trx = this.transactor;
  await trx.raw(`SAVEPOINT ${name};`);
  let result: T;
  try {
    result = await work(trx);
  } catch (error) {
    await trx.raw(`ROLLBACK TO SAVEPOINT ${name};`);
    throw error;
  }
  await trx.raw(`RELEASE SAVEPOINT ${name};`);
  return result;
}
