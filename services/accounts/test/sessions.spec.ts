import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { login } from '../src/application/login';
import { logout } from '../src/application/logout';
import { refresh } from '../src/application/refresh';
import { aUser, fakeDeps } from './fakes';

function setup() {
  const world = fakeDeps();
  const alice = aUser({ username: 'alice' });
  const ghost = aUser({ username: 'ghost', active: false });
  world.users.set(alice.id, alice);
  world.users.set(ghost.id, ghost);
  return { ...world, alice, ghost };
}
const attempt = (username: string, password: string, clientAddress = '10.0.0.1') =>
  ({ username, password, clientAddress, correlationId: 'c-1' });

describe('login', () => {
  test('opens a session and returns an access and a refresh token', async () => {
    const { deps, alice, sessions } = setup();

    const result = await login(deps)(attempt('alice', 'password:alice'));

    assert.ok(result.ok);
    assert.equal(result.value.user.id, alice.id);
    assert.equal('passwordHash' in result.value.user, false);
    assert.match(result.value.accessToken, /^access:user-\d+:cashier:/);
    assert.equal(sessions.get(result.value.sessionId)?.userId, alice.id);
  });

  test('answers an unknown user, a wrong password and a deactivated account the same way', async () => {
    const { deps } = setup();

    const answers = await Promise.all([
      login(deps)(attempt('nobody', 'password:nobody')),
      login(deps)(attempt('alice', 'wrong')),
      login(deps)(attempt('ghost', 'password:ghost')),
    ]);

    for (const answer of answers) assert.deepEqual(answer, { ok: false, failure: { kind: 'unauthenticated', code: 'AUTH.INVALID_CREDENTIALS', message: 'The username or password is wrong.' } });
  });

  test('throttles an account after five failures, even with the right password, until the window ends', async () => {
    const { deps, clock } = setup();
    for (let i = 0; i < 5; i++) await login(deps)(attempt('alice', 'wrong', `10.0.0.${i}`));

    const blocked = await login(deps)(attempt('alice', 'password:alice', '10.9.9.9'));
    clock.advance(15 * 60_000);
    const later = await login(deps)(attempt('alice', 'password:alice', '10.9.9.9'));

    assert.equal(blocked.ok, false);
    assert.equal(!blocked.ok && blocked.failure.code, 'AUTH.TOO_MANY_ATTEMPTS');
    assert.equal(!blocked.ok && blocked.failure.retryAfterSeconds, 900);
    assert.equal(later.ok, true);
  });

  test('throttles a client address that tries many accounts', async () => {
    const { deps } = setup();
    for (let i = 0; i < 20; i++) await login(deps)(attempt(`guess${i}`, 'wrong', '10.6.6.6'));

    const fromThere = await login(deps)(attempt('alice', 'password:alice', '10.6.6.6'));
    const fromElsewhere = await login(deps)(attempt('alice', 'password:alice', '10.0.0.7'));

    assert.equal(!fromThere.ok && fromThere.failure.code, 'AUTH.TOO_MANY_ATTEMPTS');
    assert.equal(fromElsewhere.ok, true);
  });

  test('a successful login forgets the account\'s earlier failures', async () => {
    const { deps } = setup();
    for (let i = 0; i < 4; i++) await login(deps)(attempt('alice', 'wrong'));
    assert.ok((await login(deps)(attempt('alice', 'password:alice'))).ok);

    await login(deps)(attempt('alice', 'wrong'));

    assert.ok((await login(deps)(attempt('alice', 'password:alice'))).ok);
  });
});

describe('refresh', () => {
  test('spends the refresh token and issues a new pair in the same session', async () => {
    const { deps } = setup();
    const first = await login(deps)(attempt('alice', 'password:alice'));
    assert.ok(first.ok);

    const second = await refresh(deps)({ refreshToken: first.value.refreshToken, correlationId: 'c' });

    assert.ok(second.ok);
    assert.equal(second.value.sessionId, first.value.sessionId);
    assert.notEqual(second.value.refreshToken, first.value.refreshToken);
    assert.notEqual(second.value.accessToken, first.value.accessToken);
  });

  test('reuse of a spent token revokes the whole session, including the token that replaced it', async () => {
    const { deps, events, sessions } = setup();
    const first = await login(deps)(attempt('alice', 'password:alice'));
    assert.ok(first.ok);
    const second = await refresh(deps)({ refreshToken: first.value.refreshToken, correlationId: 'c' });
    assert.ok(second.ok);

    const replay = await refresh(deps)({ refreshToken: first.value.refreshToken, correlationId: 'c' });
    const successor = await refresh(deps)({ refreshToken: second.value.refreshToken, correlationId: 'c' });

    assert.equal(!replay.ok && replay.failure.code, 'AUTH.REFRESH_TOKEN_INVALID');
    assert.equal(!successor.ok && successor.failure.code, 'AUTH.REFRESH_TOKEN_INVALID');
    assert.equal(sessions.get(first.value.sessionId)?.revokedReason, 'refresh-token-reuse');
    assert.deepEqual(events.map((e) => e.type === 'SessionRevoked' && e.reason), ['refresh-token-reuse']);
  });

  test('refuses an unknown, expired or deactivated user\'s token', async () => {
    const { deps, clock, users, alice } = setup();
    const unknown = await refresh(deps)({ refreshToken: 'made-up', correlationId: 'c' });
    const a = await login(deps)(attempt('alice', 'password:alice'));
    const b = await login(deps)(attempt('alice', 'password:alice'));
    assert.ok(a.ok && b.ok);

    clock.advance(8 * 86_400_000);
    const expired = await refresh(deps)({ refreshToken: a.value.refreshToken, correlationId: 'c' });
    clock.advance(-8 * 86_400_000);
    users.set(alice.id, { ...alice, active: false });
    const deactivated = await refresh(deps)({ refreshToken: b.value.refreshToken, correlationId: 'c' });

    for (const result of [unknown, expired, deactivated]) assert.equal(!result.ok && result.failure.code, 'AUTH.REFRESH_TOKEN_INVALID');
  });
});

describe('logout', () => {
  test('revokes the session once, announces it, and its refresh token stops working', async () => {
    const { deps, events, alice } = setup();
    const session = await login(deps)(attempt('alice', 'password:alice'));
    assert.ok(session.ok);
    const command = { userId: alice.id, sessionId: session.value.sessionId, correlationId: 'c' };

    await logout(deps)(command);
    await logout(deps)(command);
    const refreshed = await refresh(deps)({ refreshToken: session.value.refreshToken, correlationId: 'c' });

    assert.deepEqual(events, [{ type: 'SessionRevoked', occurredAt: deps.clock.now(), userId: alice.id, sessionId: session.value.sessionId, reason: 'logout' }]);
    assert.equal(refreshed.ok, false);
  });

  test('cannot end another user\'s session', async () => {
    const { deps, events, sessions } = setup();
    const session = await login(deps)(attempt('alice', 'password:alice'));
    assert.ok(session.ok);

    await logout(deps)({ userId: 'someone-else', sessionId: session.value.sessionId, correlationId: 'c' });

    assert.equal(sessions.get(session.value.sessionId)?.revokedAt, null);
    assert.deepEqual(events, []);
  });
});
