// The pool against the real Postgres when the server ends a session under a query (a restart, a
// failover, pg_terminate_backend): Postgres says FATAL and then closes the socket, and the pool
// must not lend that connection again in between.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { testDatabaseUrl } from '../testing/events';
import { terminateSessionRunning } from '../testing/kit';
import { createDatabase, type Knex } from './database';

const marker = `database-spec-${process.pid}`;
let db: Knex;

beforeAll(() => {
  // One connection, so the query after the cut would get the dead one if the pool lent it.
  db = createDatabase(testDatabaseUrl, { min: 0, max: 1 });
});
afterAll(() => db.destroy());

test('the query right after a session is terminated runs on a fresh connection', async () => {
  // Chained on the rejection, with no I/O between: the dead socket's close is not read yet.
  const next = db.raw(`select pg_sleep(10) as "${marker}"`).then(
    () => 'the slow query was not cut',
    (error: { code?: string }) => db.raw('select 1 as one').then(({ rows }) => [error.code, rows[0]]),
  );
  await terminateSessionRunning(testDatabaseUrl, marker);
  expect(await next).toEqual(['57P01', { one: 1 }]);
});
