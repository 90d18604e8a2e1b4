import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { accountsDocument } from '../src/adapters/http/openapi';
import { adminPassword, logIn, register, startAccounts, type Harness, type Session } from './harness';

const kidOf = (token: string) => jwt.decode(token, { complete: true })?.header.kid;

describe('accounts over HTTP', () => {
  let h: Harness;
  let admin: Session;
  beforeAll(async () => {
    h = await startAccounts();
    admin = await logIn(h, 'admin', adminPassword);
  });
  afterAll(() => h.close());

  describe('sessions', () => {
    test("login returns tokens and the user; me answers with the token's user", async () => {
      const login = await h.call('POST', '/api/v1/auth/login', {
        body: { username: 'admin', password: adminPassword },
      });
      const me = await h.call('GET', '/api/v1/auth/me', { token: login.body.accessToken });

      expect(login.status).toBe(200);
      expect(login.headers.get('cache-control')).toBe('no-store');
      expect(login.body.tokenType).toBe('Bearer');
      expect(login.body.expiresIn).toBeGreaterThan(800);
      expect(login.body.expiresIn).toBeLessThanOrEqual(900);
      expect(login.body.user.role).toBe('admin');
      expect(login.body.user.passwordHash).toBe(undefined);
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('admin');
    });

    test("refresh rotates the refresh token; reusing the old one revokes the session's tokens", async () => {
      const session = await logIn(h, 'admin', adminPassword);
      const rotated = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(rotated.status).toBe(200);
      expect((await h.call('GET', '/api/v1/auth/me', { token: rotated.body.accessToken })).status).toBe(200);

      const replay = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      const successor = await h.call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: rotated.body.refreshToken },
      });
      const accessAfterReuse = await h.call('GET', '/api/v1/auth/me', { token: rotated.body.accessToken });

      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('AUTH.REFRESH_TOKEN_INVALID');
      expect(successor.status).toBe(401);
      expect(accessAfterReuse.status).toBe(401);
      expect(accessAfterReuse.body.code).toBe('AUTH.TOKEN_REVOKED');
    });

    test('after logout the access token and the refresh token are refused', async () => {
      const session = await logIn(h, 'admin', adminPassword);

      const out = await h.call('POST', '/api/v1/auth/logout', { token: session.accessToken });
      const me = await h.call('GET', '/api/v1/auth/me', { token: session.accessToken });
      const refreshed = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });

      expect(out.status).toBe(204);
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('AUTH.TOKEN_REVOKED');
      expect(refreshed.status).toBe(401);
      const revoked = await h
        .db('event_outbox')
        .where({ event_type: 'tulity.accounts.SessionRevoked' })
        .whereRaw("payload->>'reason' = 'logout'");
      expect(revoked.length).toBe(1);
    });

    test('an unknown user and a wrong password get the same 401', async () => {
      const unknown = await h.call('POST', '/api/v1/auth/login', {
        body: { username: 'nobody', password: 'whatever it is' },
        headers: { 'x-forwarded-for': '198.51.100.1' },
      });
      const wrong = await h.call('POST', '/api/v1/auth/login', {
        body: { username: 'admin', password: 'not the password' },
        headers: { 'x-forwarded-for': '198.51.100.1' },
      });

      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect({ ...unknown.body, requestId: 0 }).toEqual({ ...wrong.body, requestId: 0 });
    });

    test('failed logins are limited per client address across accounts', async () => {
      for (let i = 0; i < 20; i++) {
        await h.call('POST', '/api/v1/auth/login', {
          body: { username: `spray${i}`, password: 'guess' },
          headers: { 'x-forwarded-for': '192.0.2.66' },
        });
      }

      const fromThere = await h.call('POST', '/api/v1/auth/login', {
        body: { username: 'admin', password: adminPassword },
        headers: { 'x-forwarded-for': '192.0.2.66' },
      });
      const spoofedPrefix = await h.call('POST', '/api/v1/auth/login', {
        body: { username: 'admin', password: adminPassword },
        headers: { 'x-forwarded-for': '10.1.1.1, 192.0.2.66' },
      });

      expect(fromThere.status).toBe(429);
      // An address the client prepends must not reset its limit.
      expect(spoofedPrefix.status).toBe(429);
    });
  });

  describe('users', () => {
    test('an admin registers a cashier who can then log in; the event is in the outbox', async () => {
      const created = await h.call('POST', '/api/v1/users', {
        token: admin.accessToken,
        body: {
          username: 'cora',
          email: 'Cora@Shop.test',
          fullName: 'Cora Cash',
          role: 'cashier',
          password: 'she sells apples daily',
        },
      });

      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/v1/users/${created.body.id}`);
      expect(created.body.email).toBe('cora@shop.test');
      const cashier = await logIn(h, 'cora', 'she sells apples daily');
      expect(cashier.userId).toBe(created.body.id);
      const [row] = await h
        .db('event_outbox')
        .where({ event_type: 'tulity.accounts.UserRegistered', key: created.body.id });
      expect(row.payload.roles).toEqual(['cashier']);
      expect(JSON.stringify(row.payload).includes('argon2')).toBe(false);
    });

    test('registration answers 409 for a taken username or email and 400 for a weak password', async () => {
      const base = { email: 'x1@shop.test', fullName: 'X', role: 'cashier', password: 'a decent passphrase' };

      const username = await h.call('POST', '/api/v1/users', {
        token: admin.accessToken,
        body: { ...base, username: 'admin' },
      });
      const email = await h.call('POST', '/api/v1/users', {
        token: admin.accessToken,
        body: { ...base, username: 'xavier', email: 'admin@tulity.test' },
      });
      const weak = await h.call('POST', '/api/v1/users', {
        token: admin.accessToken,
        body: { ...base, username: 'yves', password: 'yves' },
      });

      expect(username.status).toBe(409);
      expect(username.body.code).toBe('USER.USERNAME_TAKEN');
      expect(email.status).toBe(409);
      expect(email.body.code).toBe('USER.EMAIL_TAKEN');
      expect(weak.status).toBe(400);
      expect(weak.body.errors).toEqual([
        { field: 'password', message: 'Use at least 12 characters (this one has 4). Do not include your username.' },
      ]);
    });

    test('roles per endpoint: cashiers cannot list or register, managers list but cannot register or delete', async () => {
      const manager = await register(h, admin.accessToken, 'manager');
      const cashier = await register(h, admin.accessToken, 'cashier');
      const asManager = await logIn(h, manager.username, manager.password);
      const asCashier = await logIn(h, cashier.username, cashier.password);
      const body = {
        username: 'zed',
        email: 'zed@shop.test',
        fullName: 'Zed',
        role: 'admin',
        password: 'zed wants power',
      };

      expect((await h.call('GET', '/api/v1/users', { token: asCashier.accessToken })).status).toBe(403);
      expect((await h.call('POST', '/api/v1/users', { token: asCashier.accessToken, body })).status).toBe(403);
      expect((await h.call('GET', '/api/v1/users', { token: asManager.accessToken })).status).toBe(200);
      expect((await h.call('POST', '/api/v1/users', { token: asManager.accessToken, body })).status).toBe(403);
      expect((await h.call('DELETE', `/api/v1/users/${cashier.id}`, { token: asManager.accessToken })).status).toBe(
        403,
      );
      expect((await h.call('GET', `/api/v1/users/${manager.id}`, { token: asCashier.accessToken })).status).toBe(404);
      expect((await h.call('GET', `/api/v1/users/${cashier.id}`, { token: asCashier.accessToken })).status).toBe(200);
    });

    test('every endpoint but login, refresh and JWKS needs a token', async () => {
      const id = admin.userId;
      const guarded = [
        ['POST', '/api/v1/auth/logout'],
        ['GET', '/api/v1/auth/me'],
        ['GET', '/api/v1/users'],
        ['POST', '/api/v1/users'],
        ['GET', `/api/v1/users/${id}`],
        ['PATCH', `/api/v1/users/${id}`],
        ['DELETE', `/api/v1/users/${id}`],
      ];
      for (const [method, path] of guarded) {
        const answer = await h.call(method!, path!, method === 'GET' ? {} : { body: {} });
        expect({ route: `${method} ${path}`, status: answer.status }).toEqual({
          route: `${method} ${path}`,
          status: 401,
        });
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
      for (const path of ['/api/v1/auth/jwks', '/health/live', '/metrics', '/openapi.json']) {
        expect({ path, status: (await fetch(`${h.url}${path}`)).status }).toEqual({ path, status: 200 });
      }
    });

    test('the list pages, searches, sorts and filters by role and active', async () => {
      const tag = `l${Date.now() % 100000}`;
      const made = [];
      for (const [i, role] of (['cashier', 'cashier', 'manager'] as const).entries())
        made.push(await register(h, admin.accessToken, role, `${tag}u${i}`));
      await h.call('PATCH', `/api/v1/users/${made[1]!.id}`, { token: admin.accessToken, body: { active: false } });
      const list = (query: string) => h.call('GET', `/api/v1/users?${query}`, { token: admin.accessToken });

      const searched = await list(`q=${tag}&sort=-username`);
      const paged = await list(`q=${tag}&sort=username&pageSize=2&page=2`);
      const cashiers = await list(`q=${tag}&role=cashier&active=true`);

      expect(searched.body.items.map((u: { username: string }) => u.username)).toEqual([
        `${tag}u2`,
        `${tag}u1`,
        `${tag}u0`,
      ]);
      expect(searched.body.total).toBe(3);
      expect(paged.body).toEqual({ ...paged.body, total: 3, page: 2, pageSize: 2 });
      expect(paged.body.items.map((u: { username: string }) => u.username)).toEqual([`${tag}u2`]);
      expect(cashiers.body.items.map((u: { username: string }) => u.username)).toEqual([`${tag}u0`]);
    });

    test('a user edits their profile and password; the old password stops working', async () => {
      const user = await register(h, admin.accessToken, 'cashier');
      const session = await logIn(h, user.username, user.password);

      const profile = await h.call('PATCH', `/api/v1/users/${user.id}`, {
        token: session.accessToken,
        body: { fullName: 'New Name' },
      });
      const noCurrent = await h.call('PATCH', `/api/v1/users/${user.id}`, {
        token: session.accessToken,
        body: { password: 'brand new passphrase' },
      });
      const changed = await h.call('PATCH', `/api/v1/users/${user.id}`, {
        token: session.accessToken,
        body: { password: 'brand new passphrase', currentPassword: user.password },
      });
      const promote = await h.call('PATCH', `/api/v1/users/${user.id}`, {
        token: session.accessToken,
        body: { role: 'admin' },
      });

      expect(profile.status).toBe(200);
      expect(profile.body.fullName).toBe('New Name');
      expect(noCurrent.status).toBe(400);
      expect(noCurrent.body.errors[0].field).toBe('currentPassword');
      expect(changed.status).toBe(200);
      expect(promote.status).toBe(403);
      await expect(logIn(h, user.username, user.password)).rejects.toThrow(/401/);
      await logIn(h, user.username, 'brand new passphrase');
    });

    test("an admin's role change or deactivation makes the user's tokens refused at once", async () => {
      const promoted = await register(h, admin.accessToken, 'cashier');
      const deactivated = await register(h, admin.accessToken, 'cashier');
      const promotedSession = await logIn(h, promoted.username, promoted.password);
      const deactivatedSession = await logIn(h, deactivated.username, deactivated.password);

      const role = await h.call('PATCH', `/api/v1/users/${promoted.id}`, {
        token: admin.accessToken,
        body: { role: 'manager' },
      });
      const off = await h.call('PATCH', `/api/v1/users/${deactivated.id}`, {
        token: admin.accessToken,
        body: { active: false },
      });

      expect(role.body.role).toBe('manager');
      expect(off.body.active).toBe(false);
      expect((await h.call('GET', '/api/v1/auth/me', { token: promotedSession.accessToken })).status).toBe(401);
      expect((await h.call('GET', '/api/v1/auth/me', { token: deactivatedSession.accessToken })).status).toBe(401);
      await expect(logIn(h, deactivated.username, deactivated.password)).rejects.toThrow(/401/);
      const again = await logIn(h, promoted.username, promoted.password);
      expect((await h.call('GET', '/api/v1/users', { token: again.accessToken })).status).toBe(200);
    });

    test("delete is a soft delete: 204, then 404, the user's token refused, the row kept", async () => {
      const user = await register(h, admin.accessToken, 'cashier');
      const session = await logIn(h, user.username, user.password);

      const deleted = await h.call('DELETE', `/api/v1/users/${user.id}`, { token: admin.accessToken });
      const detail = await h.call('GET', `/api/v1/users/${user.id}`, { token: admin.accessToken });
      const again = await h.call('DELETE', `/api/v1/users/${user.id}`, { token: admin.accessToken });
      const me = await h.call('GET', '/api/v1/auth/me', { token: session.accessToken });

      expect(deleted.status).toBe(204);
      expect(detail.status).toBe(404);
      expect(again.status).toBe(404);
      expect(me.status).toBe(401);
      const row = await h.db('users').where({ id: user.id }).first();
      expect(row.deleted_at).toBeInstanceOf(Date);
      const [event] = await h.db('event_outbox').where({ event_type: 'tulity.accounts.UserDeleted', key: user.id });
      expect(event.payload.mode).toBe('DELETED');
    });

    test('the last active admin cannot be deleted, demoted or deactivated', async () => {
      const otherAdmins = await h
        .db('users')
        .where({ role: 'admin' })
        .whereNot({ username: 'admin' })
        .whereNull('deleted_at');
      expect(otherAdmins.length).toBe(0);

      const deleted = await h.call('DELETE', `/api/v1/users/${admin.userId}`, { token: admin.accessToken });
      const demoted = await h.call('PATCH', `/api/v1/users/${admin.userId}`, {
        token: admin.accessToken,
        body: { role: 'manager' },
      });

      expect(deleted.status).toBe(409);
      expect(deleted.body.code).toBe('USER.LAST_ADMIN');
      expect(demoted.status).toBe(409);
    });
  });

  describe('signing keys', () => {
    test('JWKS publishes the key that signs; after a rotation new tokens use the new key and old ones still work', async () => {
      const before = await logIn(h, 'admin', adminPassword);
      const oldKid = kidOf(before.accessToken);

      const newKid = await h.keys.rotate({ immediately: true });
      const after = await logIn(h, 'admin', adminPassword);
      const jwks = await h.call('GET', '/api/v1/auth/jwks');

      expect(newKid).not.toBe(oldKid);
      expect(kidOf(after.accessToken)).toBe(newKid);
      expect(jwks.body.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([oldKid, newKid].sort());
      // No private part is published.
      expect(jwks.body.keys.every((k: { d?: string }) => k.d === undefined)).toBe(true);
      expect((await h.call('GET', '/api/v1/auth/me', { token: before.accessToken })).status).toBe(200);
      expect((await h.call('GET', '/api/v1/auth/me', { token: after.accessToken })).status).toBe(200);
    });
  });

  test('the OpenAPI document describes every route with the request schemas', async () => {
    const doc = await h.call('GET', '/openapi.json');

    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/api/v1/auth/jwks',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/refresh',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/openapi.json',
    ]);
    const register = doc.body.paths['/api/v1/users'].post;
    expect(register.requestBody.content['application/json'].schema.required.sort()).toEqual([
      'email',
      'fullName',
      'password',
      'role',
      'username',
    ]);
    expect(register.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(doc.body.paths['/api/v1/auth/login'].post.security).toEqual([]);
  });

  test('serves the document that npm run openapi:generate builds offline', async () => {
    // Built from the route table's declarations alone: the web client's types come from it.
    expect((await h.call('GET', '/openapi.json')).body).toEqual(JSON.parse(JSON.stringify(accountsDocument())));
  });
});
