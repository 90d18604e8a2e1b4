import knex, { type Knex } from 'knex';
import { pipelining } from './pipeline';
import { PreparingPgClient } from './prepared';

export type { Knex };

/**
 * A knex pool on Postgres. Pool size stays small: the 2-core target machine runs every service.
 * Two connections stay open when idle: a new one pays tens of milliseconds on its first queries
 * (Postgres loads its catalogue caches) and has none of the named statements prepared yet.
 */
export function createDatabase(url: string, pool = { min: 2, max: 10 }): Knex {
  return knex({
    client: PreparingPgClient as unknown as typeof Knex.Client,
    connection: url,
    pool: {
      ...pool,
      // A session the server ends (restart, failover, terminated) gets a FATAL message first and
      // the socket's close only later: pg fails the running query on the message, and in between
      // the pool would lend the dead connection to the next query. Retire it on the message instead.
      afterCreate(connection: SessionClient, done: (error: Error | null, connection: SessionClient) => void) {
        pipelining(connection);
        connection.connection.on('errorMessage', (message: { severity?: string }) => {
          if (message.severity === 'FATAL') retire(connection, 'the server ended the session');
        });
        done(null, connection);
      },
    },
  });
}

/**
 * Retires a pooled connection: the pool closes it instead of lending it again. This is the mark
 * knex itself sets on a connection that errored, and its pool checks it before every loan.
 */
export function retire(connection: object, reason: string): void {
  (connection as { __knex__disposed?: string }).__knex__disposed = reason;
}

/** The part of a pg client the pool listens to: its wire connection's messages from the server. */
interface SessionClient {
  connection: { on(event: 'errorMessage', listener: (message: { severity?: string }) => void): void };
}

/** Runs the service's migrations (knex holds its own lock, so replicas starting together are safe). */
export async function migrateLatest(db: Knex, directory: string): Promise<void> {
  await db.migrate.latest({ directory, loadExtensions: ['.ts'] });
}

/** Tests truncate tables: refuse any database whose name does not say it is a test one. */
export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  if (!/_test$/.test(name)) {
    throw new Error(`refusing to run tests against database "${name}": its name must end in _test`);
  }
}
