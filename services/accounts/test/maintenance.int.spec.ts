import { test, beforeAll, afterAll, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { pruneLoginAttempts } from '../src/adapters/postgres/login-throttle';
import { pruneEndedSessions } from '../src/adapters/postgres/session.repository';
import { adminPassword, logIn, startAccounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startAccounts();
});
afterAll(() => h.close());

test('pruning deletes sessions that ended, with their refresh tokens, and keeps live ones', async () => {
  const live = await logIn(h, 'admin', adminPassword);
  const admin = await h.db('users').where({ username: 'admin' }).first();
  const endedId = randomUUID();
  const longAgo = new Date(Date.now() - 40 * 86_400_000);
  await h.db('sessions').insert({
    id: endedId,
    user_id: admin.id,
    created_at: longAgo,
    expires_at: new Date(longAgo.getTime() + 86_400_000),
  });
  await h.db('refresh_tokens').insert({
    id: randomUUID(),
    session_id: endedId,
    token_hash: randomUUID(),
    issued_at: longAgo,
    expires_at: longAgo,
  });

  await pruneEndedSessions(h.db, new Date(Date.now() - 86_400_000));

  expect(await h.db('sessions').where({ id: endedId }).first()).toBeUndefined();
  expect(await h.db('refresh_tokens').where({ session_id: endedId })).toEqual([]);
  expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: live.refreshToken } })).status).toBe(
    200,
  );
});

test('login outcomes are counted in /metrics', async () => {
  await logIn(h, 'admin', adminPassword);
  await h.call('POST', '/api/v1/auth/login', {
    body: { username: 'admin', password: 'not it at all' },
    headers: { 'x-forwarded-for': '198.51.100.77' },
  });

  const text = await (await fetch(`${h.url}/metrics`)).text();

  expect(text).toMatch(/accounts_logins_total\{outcome="success",service="accounts"\} [1-9]/);
  expect(text).toMatch(/accounts_logins_total\{outcome="refused",service="accounts"\} 1\b/);
});

test('pruning forgets the login counters nobody used for a long time, and keeps recent ones', async () => {
  const longAgo = new Date(Date.now() - 2 * 86_400_000);
  await h.db('login_attempts').insert([
    { key: 'account:old', attempts: 3, window_started_at: longAgo, last_attempt_at: longAgo },
    { key: 'account:recent', attempts: 3, window_started_at: new Date(), last_attempt_at: new Date() },
  ]);

  await pruneLoginAttempts(h.db, new Date(Date.now() - 86_400_000));

  const left = (await h.db('login_attempts').whereIn('key', ['account:old', 'account:recent'])).map((row) => row.key);
  expect(left).toEqual(['account:recent']);
});
