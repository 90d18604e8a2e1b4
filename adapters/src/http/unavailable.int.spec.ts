// The database cut off under a request, against the real Postgres: the session serving it is
// terminated (as a restart or a failover does), and the answer is a 503 the client may retry,
// not a 500. The next request gets a fresh connection and succeeds.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Router } from './router';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { createDatabase, type Knex } from '../postgres/database';
import { testDatabaseUrl } from '../testing/events';
import { startHttp, terminateSessionRunning, type RunningHttp } from '../testing/kit';
import { createHttpApp } from './app';

const marker = `unavailable-spec-${process.pid}`;
let db: Knex;
let http: RunningHttp;

beforeAll(async () => {
  db = createDatabase(testDatabaseUrl, { min: 0, max: 2 });
  const router = new Router();
  router.get('/api/v1/slow', async (ctx) => {
    await db.raw(`select pg_sleep(10) as "${marker}"`);
    ctx.body = { slept: true };
  });
  router.get('/api/v1/ping', async (ctx) => {
    ctx.body = (await db.raw('select 1 as one')).rows[0];
  });
  http = await startHttp(
    createHttpApp({
      service: 'test',
      logger: createLogger('unavailable-test'),
      metrics: createMetrics('test'),
      readiness: {},
      routers: [router],
    }),
  );
});
afterAll(async () => {
  await http.close();
  await db.destroy();
});

test('a request whose database session is terminated is a 503 with Retry-After; the next one succeeds', async () => {
  const answer = http.call('GET', '/api/v1/slow');
  await terminateSessionRunning(testDatabaseUrl, marker);
  const cut = await answer;
  expect([cut.status, cut.headers.get('retry-after'), cut.body.code]).toEqual([503, '1', 'SERVICE.UNAVAILABLE']);
  expect(cut.headers.get('content-type')).toContain('application/problem+json');

  const next = await http.call('GET', '/api/v1/ping');
  expect([next.status, next.body]).toEqual([200, { one: 1 }]);
});
