import { describe, test, beforeAll, afterAll, beforeEach, expect } from '@jest/globals';
import { createHash, createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Knex } from '@tulity/adapters/postgres/database';
import { testDatabase } from '@tulity/adapters/testing/kit';
import { createSigningKeys, type SigningKeyStore } from '../src/adapters/postgres/signing-keys';
import { migrations } from '../src/main';

const minute = 60_000;
const day = 24 * 60 * minute;

describe('signing keys in Postgres', () => {
  let db: Knex;
  let now: number;
  let store: SigningKeyStore;
  const kids = async () => (await store.publicKeys()).keys.map((key) => key.kid);

  beforeAll(async () => {
    db = await testDatabase('accounts', migrations);
  });
  beforeEach(async () => {
    await db('signing_keys').delete();
    now = Date.parse('2026-01-01T00:00:00Z');
    // No cache, so each step sees the table as it is; the timing rules are what is under test.
    store = createSigningKeys(db, {
      rotateAfterMs: 30 * day,
      publishRetiredForMs: 30 * minute,
      cacheMs: 0,
      activationDelayMs: minute,
      clock: () => now,
    });
  });
  afterAll(() => db.destroy());

  test('the first key signs at once; a second start makes no other key', async () => {
    expect(await store.rotateIfDue()).toBe(true);
    expect(await store.rotateIfDue()).toBe(false);

    const { kid } = await store.active();
    expect(await kids()).toEqual([kid]);
  });

  test('a due rotation publishes the next key before it signs, then keeps the old one published until its tokens expired', async () => {
    await store.rotateIfDue();
    const first = (await store.active()).kid;

    now += 30 * day;
    expect(await store.rotateIfDue()).toBe(true);
    const published = await kids();
    const second = published.find((kid) => kid !== first);
    expect(published.length).toBe(2);
    // The next key is published but does not sign yet.
    expect((await store.active()).kid).toBe(first);

    now += minute;
    expect((await store.active()).kid).toBe(second);
    expect((await kids()).sort()).toEqual([first, second].sort());

    now += 30 * minute + 1;
    expect(await kids()).toEqual([second]);
  });

  test('keys retired long ago are deleted with their private part at the next rotation', async () => {
    await store.rotateIfDue();
    const first = (await store.active()).kid;
    now += minute;
    await store.rotate({ immediately: true });

    now += 31 * minute;
    await store.rotate({ immediately: true });

    const stored = (await db('signing_keys').select('kid')).map((row) => row.kid);
    expect(stored).not.toContain(first);
    expect(stored.length).toBe(2);
  });

  test('two replicas rotating at once make one key, not two', async () => {
    const other = createSigningKeys(db, {
      rotateAfterMs: 30 * day,
      publishRetiredForMs: 30 * minute,
      cacheMs: 0,
      clock: () => now,
    });

    const made = await Promise.all([store.rotateIfDue(), other.rotateIfDue(), store.rotateIfDue()]);

    expect(made.filter(Boolean)).toEqual([true]);
    expect((await db('signing_keys').count({ n: '*' }))[0]?.n).toBe('1');
  });

  test('the published key, exported by node:crypto, verifies what the private key signs, and its kid is the RFC 7638 thumbprint', async () => {
    await store.rotateIfDue();
    const { kid, key } = await store.active();
    const [published] = (await store.publicKeys()).keys;
    const token = jwt.sign({ sub: 'u' }, key, { algorithm: 'ES256', keyid: kid });

    expect(published).toMatchObject({ kid, kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(published).not.toHaveProperty('d');
    expect(
      jwt.verify(token, createPublicKey({ key: published!, format: 'jwk' }), { algorithms: ['ES256'] }),
    ).toMatchObject({ sub: 'u' });
    // RFC 7638: the SHA-256 of the required members in lexicographic order, without spaces.
    const { crv, kty, x, y } = published!;
    expect(kid).toBe(
      createHash('sha256').update(`{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`).digest('base64url'),
    );
  });
});
