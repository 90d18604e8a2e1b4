import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertTestDatabase, createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import { createKnexLoginThrottle, pruneLoginFailures } from '../src/adapters/postgres/knex-login-throttle';
import { migrations } from '../src/main';
import { databaseUrl } from './harness';

const rule = { maxFailures: 5, windowMs: 60_000 };
const start = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('login throttle in Postgres', () => {
  let db: Knex;
  beforeAll(async () => {
    assertTestDatabase(databaseUrl);
    db = createDatabase(databaseUrl);
    await migrateLatest(db, migrations);
  });
  afterAll(() => db.destroy());

  test('concurrent failures all count, from every replica', async () => {
    const throttle = createKnexLoginThrottle(db);
    const key = { key: `account:${randomUUID()}`, rule };

    await Promise.all(Array.from({ length: 5 }, () => throttle.recordFailure([key], at(0))));

    assert.equal(await throttle.retryAfter([key], at(1000)), 59);
  });

  test('a window that ended starts again at one failure', async () => {
    const throttle = createKnexLoginThrottle(db);
    const key = { key: `address:${randomUUID()}`, rule };
    for (let i = 0; i < 5; i++) await throttle.recordFailure([key], at(0));

    await throttle.recordFailure([key], at(61_000));

    assert.equal(await throttle.retryAfter([key], at(61_000)), 0);
    const row = await db('login_failures').where({ key: key.key }).first();
    assert.equal(row.failures, 1);
  });

  test('the longest wait of the keys wins, and clearing one key leaves the other', async () => {
    const throttle = createKnexLoginThrottle(db);
    const account = { key: `account:${randomUUID()}`, rule };
    const address = { key: `address:${randomUUID()}`, rule: { maxFailures: 2, windowMs: 600_000 } };
    for (let i = 0; i < 5; i++) await throttle.recordFailure([account, address], at(0));

    assert.equal(await throttle.retryAfter([account, address], at(0)), 600);
    await throttle.clear(address);
    assert.equal(await throttle.retryAfter([account, address], at(0)), 60);
  });

  test('pruning forgets old windows only', async () => {
    const throttle = createKnexLoginThrottle(db);
    const old = { key: `account:${randomUUID()}`, rule };
    const recent = { key: `account:${randomUUID()}`, rule };
    await throttle.recordFailure([old], at(0));
    await throttle.recordFailure([recent], at(10 * 60_000));

    await pruneLoginFailures(db, at(60_000));

    const left = (await db('login_failures').whereIn('key', [old.key, recent.key])).map((row) => row.key);
    assert.deepEqual(left, [recent.key]);
  });
});
