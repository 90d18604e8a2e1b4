import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { decodeProtectedHeader } from 'jose';
import { adminPassword, call, logIn, register, startAccounts, type Harness, type Session } from './harness';

describe('accounts over HTTP', () => {
  let h: Harness;
  let admin: Session;
  beforeAll(async () => {
    h = await startAccounts();
    admin = await logIn(h.url, 'admin', adminPassword);
  });
  afterAll(() => h.close());

  describe('sessions', () => {
    test('login returns tokens and the user; me answers with the token\'s user', async () => {
      const login = await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } });
      const me = await call(h.url, 'GET', '/api/v1/auth/me', { token: login.body.accessToken });

      assert.equal(login.status, 200);
      assert.equal(login.headers.get('cache-control'), 'no-store');
      assert.equal(login.body.tokenType, 'Bearer');
      assert.ok(login.body.expiresIn > 800 && login.body.expiresIn <= 900);
      assert.equal(login.body.user.role, 'admin');
      assert.equal(login.body.user.passwordHash, undefined);
      assert.equal(me.status, 200);
      assert.equal(me.body.username, 'admin');
    });

    test('refresh rotates the refresh token; reusing the old one revokes the session\'s tokens', async () => {
      const session = await logIn(h.url, 'admin', adminPassword);
      const rotated = await call(h.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      assert.equal(rotated.status, 200);
      assert.equal((await call(h.url, 'GET', '/api/v1/auth/me', { token: rotated.body.accessToken })).status, 200);

      const replay = await call(h.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      const successor = await call(h.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
      const accessAfterReuse = await call(h.url, 'GET', '/api/v1/auth/me', { token: rotated.body.accessToken });

      assert.equal(replay.status, 401);
      assert.equal(replay.body.code, 'AUTH.REFRESH_TOKEN_INVALID');
      assert.equal(successor.status, 401);
      assert.equal(accessAfterReuse.status, 401);
      assert.equal(accessAfterReuse.body.code, 'AUTH.TOKEN_REVOKED');
    });

    test('after logout the access token and the refresh token are refused', async () => {
      const session = await logIn(h.url, 'admin', adminPassword);

      const out = await call(h.url, 'POST', '/api/v1/auth/logout', { token: session.accessToken });
      const me = await call(h.url, 'GET', '/api/v1/auth/me', { token: session.accessToken });
      const refreshed = await call(h.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });

      assert.equal(out.status, 204);
      assert.equal(me.status, 401);
      assert.equal(me.body.code, 'AUTH.TOKEN_REVOKED');
      assert.equal(refreshed.status, 401);
      const revoked = await h.db('event_outbox').where({ event_type: 'tulity.accounts.SessionRevoked' }).whereRaw("payload->>'reason' = 'logout'");
      assert.equal(revoked.length, 1);
    });

    test('an unknown user and a wrong password get the same 401', async () => {
      const unknown = await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'whatever it is' }, headers: { 'x-forwarded-for': '198.51.100.1' } });
      const wrong = await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'not the password' }, headers: { 'x-forwarded-for': '198.51.100.1' } });

      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      assert.deepEqual({ ...unknown.body, requestId: 0 }, { ...wrong.body, requestId: 0 });
    });

    test('failed logins are limited per account with 429 and Retry-After, even with the right password then', async () => {
      const victim = await register(h.url, admin.accessToken, 'cashier');
      for (let i = 0; i < 5; i++) {
        await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: victim.username, password: 'guess' }, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      }

      const blocked = await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: victim.username, password: victim.password }, headers: { 'x-forwarded-for': '203.0.113.99' } });

      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.code, 'AUTH.TOO_MANY_ATTEMPTS');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      assert.ok(retryAfter > 0 && retryAfter <= 900, `retry-after ${retryAfter}`);
    });

    test('failed logins are limited per client address across accounts', async () => {
      for (let i = 0; i < 20; i++) {
        await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: `spray${i}`, password: 'guess' }, headers: { 'x-forwarded-for': '192.0.2.66' } });
      }

      const fromThere = await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword }, headers: { 'x-forwarded-for': '192.0.2.66' } });
      const spoofedPrefix = await call(h.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword }, headers: { 'x-forwarded-for': '10.1.1.1, 192.0.2.66' } });

      assert.equal(fromThere.status, 429);
      assert.equal(spoofedPrefix.status, 429, 'an address the client prepends must not reset its limit');
    });
  });

  describe('users', () => {
    test('an admin registers a cashier who can then log in; the event is in the outbox', async () => {
      const created = await call(h.url, 'POST', '/api/v1/users', {
        token: admin.accessToken,
        body: { username: 'cora', email: 'Cora@Shop.test', fullName: 'Cora Cash', role: 'cashier', password: 'she sells apples daily' },
      });

      assert.equal(created.status, 201);
      assert.equal(created.headers.get('location'), `/api/v1/users/${created.body.id}`);
      assert.equal(created.body.email, 'cora@shop.test');
      const cashier = await logIn(h.url, 'cora', 'she sells apples daily');
      assert.equal(cashier.userId, created.body.id);
      const [row] = await h.db('event_outbox').where({ event_type: 'tulity.accounts.UserRegistered', key: created.body.id });
      assert.deepEqual(row.payload.roles, ['cashier']);
      assert.equal(JSON.stringify(row.payload).includes('argon2'), false);
    });

    test('registration answers 409 for a taken username or email and 400 for a weak password', async () => {
      const base = { email: 'x1@shop.test', fullName: 'X', role: 'cashier', password: 'a decent passphrase' };

      const username = await call(h.url, 'POST', '/api/v1/users', { token: admin.accessToken, body: { ...base, username: 'admin' } });
      const email = await call(h.url, 'POST', '/api/v1/users', { token: admin.accessToken, body: { ...base, username: 'xavier', email: 'admin@tulity.test' } });
      const weak = await call(h.url, 'POST', '/api/v1/users', { token: admin.accessToken, body: { ...base, username: 'yves', password: 'yves' } });

      assert.equal(username.status, 409);
      assert.equal(username.body.code, 'USER.USERNAME_TAKEN');
      assert.equal(email.status, 409);
      assert.equal(email.body.code, 'USER.EMAIL_TAKEN');
      assert.equal(weak.status, 400);
      assert.deepEqual(weak.body.errors, [{ field: 'password', message: 'Use at least 12 characters (this one has 4). Do not include your username.' }]);
    });

    test('roles per endpoint: cashiers cannot list or register, managers list but cannot register or delete', async () => {
      const manager = await register(h.url, admin.accessToken, 'manager');
      const cashier = await register(h.url, admin.accessToken, 'cashier');
      const asManager = await logIn(h.url, manager.username, manager.password);
      const asCashier = await logIn(h.url, cashier.username, cashier.password);
      const body = { username: 'zed', email: 'zed@shop.test', fullName: 'Zed', role: 'admin', password: 'zed wants power' };

      assert.equal((await call(h.url, 'GET', '/api/v1/users', { token: asCashier.accessToken })).status, 403);
      assert.equal((await call(h.url, 'POST', '/api/v1/users', { token: asCashier.accessToken, body })).status, 403);
      assert.equal((await call(h.url, 'GET', '/api/v1/users', { token: asManager.accessToken })).status, 200);
      assert.equal((await call(h.url, 'POST', '/api/v1/users', { token: asManager.accessToken, body })).status, 403);
      assert.equal((await call(h.url, 'DELETE', `/api/v1/users/${cashier.id}`, { token: asManager.accessToken })).status, 403);
      assert.equal((await call(h.url, 'GET', `/api/v1/users/${manager.id}`, { token: asCashier.accessToken })).status, 403);
      assert.equal((await call(h.url, 'GET', `/api/v1/users/${cashier.id}`, { token: asCashier.accessToken })).status, 200);
    });

    test('every endpoint but login, refresh and JWKS needs a token', async () => {
      const id = admin.userId;
      const guarded = [['POST', '/api/v1/auth/logout'], ['GET', '/api/v1/auth/me'], ['GET', '/api/v1/users'], ['POST', '/api/v1/users'], ['GET', `/api/v1/users/${id}`], ['PATCH', `/api/v1/users/${id}`], ['DELETE', `/api/v1/users/${id}`]];
      for (const [method, path] of guarded) {
        const answer = await call(h.url, method!, path!, method === 'GET' ? {} : { body: {} });
        assert.equal(answer.status, 401, `${method} ${path}`);
        assert.equal(answer.headers.get('www-authenticate'), 'Bearer');
      }
      for (const path of ['/api/v1/auth/jwks', '/health/live', '/metrics', '/openapi.json']) {
        assert.equal((await fetch(`${h.url}${path}`)).status, 200, path);
      }
    });

    test('the list pages, searches, sorts and filters by role and active', async () => {
      const tag = `l${Date.now() % 100000}`;
      const made = [];
      for (const [i, role] of (['cashier', 'cashier', 'manager'] as const).entries()) made.push(await register(h.url, admin.accessToken, role, `${tag}u${i}`));
      await call(h.url, 'PATCH', `/api/v1/users/${made[1]!.id}`, { token: admin.accessToken, body: { active: false } });
      const list = (query: string) => call(h.url, 'GET', `/api/v1/users?${query}`, { token: admin.accessToken });

      const searched = await list(`q=${tag}&sort=-username`);
      const paged = await list(`q=${tag}&sort=username&pageSize=2&page=2`);
      const cashiers = await list(`q=${tag}&role=cashier&active=true`);

      assert.deepEqual(searched.body.items.map((u: { username: string }) => u.username), [`${tag}u2`, `${tag}u1`, `${tag}u0`]);
      assert.equal(searched.body.total, 3);
      assert.deepEqual(paged.body, { ...paged.body, total: 3, page: 2, pageSize: 2 });
      assert.deepEqual(paged.body.items.map((u: { username: string }) => u.username), [`${tag}u2`]);
      assert.deepEqual(cashiers.body.items.map((u: { username: string }) => u.username), [`${tag}u0`]);
    });

    test('a user edits their profile and password; the old password stops working', async () => {
      const user = await register(h.url, admin.accessToken, 'cashier');
      const session = await logIn(h.url, user.username, user.password);

      const profile = await call(h.url, 'PATCH', `/api/v1/users/${user.id}`, { token: session.accessToken, body: { fullName: 'New Name' } });
      const noCurrent = await call(h.url, 'PATCH', `/api/v1/users/${user.id}`, { token: session.accessToken, body: { password: 'brand new passphrase' } });
      const changed = await call(h.url, 'PATCH', `/api/v1/users/${user.id}`, { token: session.accessToken, body: { password: 'brand new passphrase', currentPassword: user.password } });
      const promote = await call(h.url, 'PATCH', `/api/v1/users/${user.id}`, { token: session.accessToken, body: { role: 'admin' } });

      assert.equal(profile.status, 200);
      assert.equal(profile.body.fullName, 'New Name');
      assert.equal(noCurrent.status, 400);
      assert.equal(noCurrent.body.errors[0].field, 'currentPassword');
      assert.equal(changed.status, 200);
      assert.equal(promote.status, 403);
      await assert.rejects(logIn(h.url, user.username, user.password));
      await logIn(h.url, user.username, 'brand new passphrase');
    });

    test('an admin\'s role change or deactivation makes the user\'s tokens refused at once', async () => {
      const promoted = await register(h.url, admin.accessToken, 'cashier');
      const deactivated = await register(h.url, admin.accessToken, 'cashier');
      const promotedSession = await logIn(h.url, promoted.username, promoted.password);
      const deactivatedSession = await logIn(h.url, deactivated.username, deactivated.password);

      const role = await call(h.url, 'PATCH', `/api/v1/users/${promoted.id}`, { token: admin.accessToken, body: { role: 'manager' } });
      const off = await call(h.url, 'PATCH', `/api/v1/users/${deactivated.id}`, { token: admin.accessToken, body: { active: false } });

      assert.equal(role.body.role, 'manager');
      assert.equal(off.body.active, false);
      assert.equal((await call(h.url, 'GET', '/api/v1/auth/me', { token: promotedSession.accessToken })).status, 401);
      assert.equal((await call(h.url, 'GET', '/api/v1/auth/me', { token: deactivatedSession.accessToken })).status, 401);
      await assert.rejects(logIn(h.url, deactivated.username, deactivated.password));
      const again = await logIn(h.url, promoted.username, promoted.password);
      assert.equal((await call(h.url, 'GET', '/api/v1/users', { token: again.accessToken })).status, 200);
    });

    test('delete is a soft delete: 204, then 404, the user\'s token refused, the row kept', async () => {
      const user = await register(h.url, admin.accessToken, 'cashier');
      const session = await logIn(h.url, user.username, user.password);

      const deleted = await call(h.url, 'DELETE', `/api/v1/users/${user.id}`, { token: admin.accessToken });
      const detail = await call(h.url, 'GET', `/api/v1/users/${user.id}`, { token: admin.accessToken });
      const again = await call(h.url, 'DELETE', `/api/v1/users/${user.id}`, { token: admin.accessToken });
      const me = await call(h.url, 'GET', '/api/v1/auth/me', { token: session.accessToken });

      assert.equal(deleted.status, 204);
      assert.equal(detail.status, 404);
      assert.equal(again.status, 404);
      assert.equal(me.status, 401);
      const row = await h.db('users').where({ id: user.id }).first();
      assert.ok(row.deleted_at);
      const [event] = await h.db('event_outbox').where({ event_type: 'tulity.accounts.UserDeleted', key: user.id });
      assert.equal(event.payload.mode, 'DELETED');
    });

    test('the last active admin cannot be deleted, demoted or deactivated', async () => {
      const otherAdmins = await h.db('users').where({ role: 'admin' }).whereNot({ username: 'admin' }).whereNull('deleted_at');
      assert.equal(otherAdmins.length, 0);

      const deleted = await call(h.url, 'DELETE', `/api/v1/users/${admin.userId}`, { token: admin.accessToken });
      const demoted = await call(h.url, 'PATCH', `/api/v1/users/${admin.userId}`, { token: admin.accessToken, body: { role: 'manager' } });

      assert.equal(deleted.status, 409);
      assert.equal(deleted.body.code, 'USER.LAST_ADMIN');
      assert.equal(demoted.status, 409);
    });
  });

  describe('signing keys', () => {
    test('JWKS publishes the key that signs; after a rotation new tokens use the new key and old ones still work', async () => {
      const before = await logIn(h.url, 'admin', adminPassword);
      const oldKid = decodeProtectedHeader(before.accessToken).kid;

      const newKid = await h.keys.rotate({ immediately: true });
      const after = await logIn(h.url, 'admin', adminPassword);
      const jwks = await call(h.url, 'GET', '/api/v1/auth/jwks');

      assert.notEqual(newKid, oldKid);
      assert.equal(decodeProtectedHeader(after.accessToken).kid, newKid);
      assert.deepEqual(jwks.body.keys.map((k: { kid: string }) => k.kid).sort(), [oldKid, newKid].sort());
      assert.ok(jwks.body.keys.every((k: { d?: string }) => k.d === undefined), 'no private part is published');
      assert.equal((await call(h.url, 'GET', '/api/v1/auth/me', { token: before.accessToken })).status, 200);
      assert.equal((await call(h.url, 'GET', '/api/v1/auth/me', { token: after.accessToken })).status, 200);
    });
  });

  test('the OpenAPI document describes every route with the request schemas', async () => {
    const doc = await call(h.url, 'GET', '/openapi.json');

    assert.deepEqual(Object.keys(doc.body.paths).sort(), [
      '/api/v1/auth/jwks', '/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/users', '/api/v1/users/{id}',
    ]);
    const register = doc.body.paths['/api/v1/users'].post;
    assert.deepEqual(register.requestBody.content['application/json'].schema.required.sort(), ['email', 'fullName', 'password', 'role', 'username']);
    assert.equal(register.requestBody.content['application/json'].schema.additionalProperties, false);
    assert.deepEqual(doc.body.paths['/api/v1/auth/login'].post.security, []);
  });
});
