import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { assertTestDatabase, createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import { createKnexSigningKeys, type SigningKeyStore } from '../src/adapters/postgres/knex-signing-keys';
import { migrations } from '../src/main';
import { databaseUrl } from './harness';

const minute = 60_000;
const day = 24 * 60 * minute;

describe('signing keys in Postgres', () => {
  let db: Knex;
  let now: number;
  let store: SigningKeyStore;
  const kids = async () => (await store.publicKeys()).keys.map((key) => key.kid);

  beforeAll(async () => {
    assertTestDatabase(databaseUrl);
    db = createDatabase(databaseUrl);
    await migrateLatest(db, migrations);
  });
  beforeEach(async () => {
    await db('signing_keys').delete();
    now = Date.parse('2026-01-01T00:00:00Z');
    // No cache, so each step sees the table as it is; the timing rules are what is under test.
    store = createKnexSigningKeys(db, { rotateAfterMs: 30 * day, publishRetiredForMs: 30 * minute, cacheMs: 0, activationDelayMs: minute, clock: () => now });
  });
  afterAll(() => db.destroy());

  test('the first key signs at once; a second start makes no other key', async () => {
    assert.equal(await store.rotateIfDue(), true);
    assert.equal(await store.rotateIfDue(), false);

    const { kid } = await store.active();
    assert.deepEqual(await kids(), [kid]);
  });

  test('a due rotation publishes the next key before it signs, then keeps the old one published until its tokens expired', async () => {
    await store.rotateIfDue();
    const first = (await store.active()).kid;

    now += 30 * day;
    assert.equal(await store.rotateIfDue(), true);
    const published = await kids();
    const second = published.find((kid) => kid !== first);
    assert.equal(published.length, 2);
    assert.equal((await store.active()).kid, first, 'the next key is published but does not sign yet');

    now += minute;
    assert.equal((await store.active()).kid, second);
    assert.deepEqual((await kids()).sort(), [first, second].sort());

    now += 30 * minute + 1;
    assert.deepEqual(await kids(), [second]);
  });

  test('keys retired long ago are deleted with their private part at the next rotation', async () => {
    await store.rotateIfDue();
    const first = (await store.active()).kid;
    now += minute;
    await store.rotate({ immediately: true });

    now += 31 * minute;
    await store.rotate({ immediately: true });

    const stored = (await db('signing_keys').select('kid')).map((row) => row.kid);
    assert.equal(stored.includes(first), false);
    assert.equal(stored.length, 2);
  });

  test('two replicas rotating at once make one key, not two', async () => {
    const other = createKnexSigningKeys(db, { rotateAfterMs: 30 * day, publishRetiredForMs: 30 * minute, cacheMs: 0, clock: () => now });

    const made = await Promise.all([store.rotateIfDue(), other.rotateIfDue(), store.rotateIfDue()]);

    assert.deepEqual(made.filter(Boolean), [true]);
    assert.equal((await db('signing_keys').count({ n: '*' }))[0]?.n, '1');
  });
});
