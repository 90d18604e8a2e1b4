import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pruneEndedSessions } from '../src/adapters/postgres/knex-session.repository';
import { adminPassword, call, logIn, startAccounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startAccounts();
});
afterAll(() => h.close());

test('pruning deletes sessions that ended, with their refresh tokens, and keeps live ones', async () => {
  const live = await logIn(h.url, 'admin', adminPassword);
  const admin = await h.db('users').where({ username: 'admin' }).first();
  const endedId = randomUUID();
  const longAgo = new Date(Date.now() - 40 * 86_400_000);
  await h.db('sessions').insert({ id: endedId, user_id: admin.id, created_at: longAgo, expires_at: new Date(longAgo.getTime() + 86_400_000) });
  await h.db('refresh_tokens').insert({ id: randomUUID(), session_id: endedId, token_hash: randomUUID(), issued_at: longAgo, expires_at: longAgo });

  await pruneEndedSessions(h.db, new Date(Date.now() - 86_400_000));

  assert.equal(await h.db('sessions').where({ id: endedId }).first(), undefined);
  assert.equal((await h.db('refresh_tokens').where({ session_id: endedId })).length, 0);
  assert.equal((await call(h.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: live.refreshToken } })).status, 200);
});

test('login outcomes are counted in /metrics', async () => {
  await logIn(h.url, 'admin', adminPassword);
  await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'not it at all' }, headers: { 'x-forwarded-for': '198.51.100.77' } });

  const text = await (await fetch(`${h.url}/metrics`)).text();

  assert.match(text, /accounts_logins_total\{outcome="success",service="accounts"\} [1-9]/);
  assert.match(text, /accounts_logins_total\{outcome="refused",service="accounts"\} 1\b/);
});
