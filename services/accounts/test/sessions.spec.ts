import { describe, expect, test } from '@jest/globals';
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
const attempt = (username: string, password: string, clientAddress = '10.0.0.1') => ({
  username,
  password,
  clientAddress,
  correlationId: 'c-1',
});
const throttled = (retryAfterSeconds: number) => ({
  code: 'AUTH.TOO_MANY_ATTEMPTS',
  kind: 'throttled',
  retryAfterSeconds,
});
const invalidCredentials = {
  kind: 'unauthenticated',
  code: 'AUTH.INVALID_CREDENTIALS',
  message: 'The username or password is wrong.',
};

describe('login', () => {
  test('opens a session and returns an access and a refresh token', async () => {
    const { deps, alice, sessions } = setup();

    const result = await login(deps)(attempt('alice', 'password:alice'));

    expect(result.user.id).toBe(alice.id);
    expect('passwordHash' in result.user).toBe(false);
    expect(result.accessToken).toMatch(/^access:user-\d+:cashier:/);
    expect(sessions.get(result.sessionId)?.userId).toBe(alice.id);
  });

  test('answers an unknown user, a wrong password and a deactivated account the same way', async () => {
    const { deps } = setup();

    for (const [username, password, address] of [
      ['nobody', 'password:nobody', 'a'],
      ['alice', 'wrong', 'b'],
      ['ghost', 'password:ghost', 'c'],
    ]) {
      await expect(login(deps)(attempt(username!, password!, address))).rejects.toMatchObject(invalidCredentials);
    }
  });

  test('slows an address down with each wrong password for an account, then blocks it until the window ends', async () => {
    const { deps, clock } = setup();
    await expect(login(deps)(attempt('alice', 'wrong'))).rejects.toMatchObject(invalidCredentials);
    await expect(login(deps)(attempt('alice', 'wrong'))).rejects.toMatchObject(invalidCredentials);
    await expect(login(deps)(attempt('alice', 'wrong'))).rejects.toMatchObject(throttled(1));
    for (const delay of [1000, 2000, 4000]) {
      clock.advance(delay);
      await expect(login(deps)(attempt('alice', 'wrong'))).rejects.toMatchObject(invalidCredentials);
    }
    clock.advance(60_000);

    await expect(login(deps)(attempt('alice', 'password:alice'))).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
    clock.advance(15 * 60_000);
    expect((await login(deps)(attempt('alice', 'password:alice'))).user.username).toBe('alice');
  });

  test('an address that failed five times does not stop the owner logging in from another address', async () => {
    const { deps, clock } = setup();
    for (let i = 0; i < 5; i++) {
      await expect(login(deps)(attempt('alice', 'wrong', '10.6.6.6'))).rejects.toMatchObject(invalidCredentials);
      clock.advance(30_000);
    }
    await expect(login(deps)(attempt('alice', 'wrong', '10.6.6.6'))).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });

    expect((await login(deps)(attempt('alice', 'password:alice', '10.0.0.7'))).user.username).toBe('alice');
  });

  test("the account-wide bound stops guesses spread over many addresses, the owner's included", async () => {
    const { deps, hasher } = setup();
    deps.throttleRules.perAccount = { maxAttempts: 10, windowMs: 60 * 60_000 };
    for (let i = 0; i < 10; i++)
      await expect(login(deps)(attempt('alice', 'wrong', `10.1.0.${i}`))).rejects.toMatchObject(invalidCredentials);
    const verified = hasher.verifications;

    await expect(login(deps)(attempt('alice', 'wrong', '10.1.0.99'))).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
    await expect(login(deps)(attempt('alice', 'password:alice', '10.0.0.7'))).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
    expect(hasher.verifications).toBe(verified);
  });

  test('throttles a client address that tries many accounts', async () => {
    const { deps } = setup();
    for (let i = 0; i < 20; i++)
      await expect(login(deps)(attempt(`guess${i}`, 'wrong', '10.6.6.6'))).rejects.toMatchObject(invalidCredentials);

    await expect(login(deps)(attempt('alice', 'password:alice', '10.6.6.6'))).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
    expect((await login(deps)(attempt('alice', 'password:alice', '10.0.0.7'))).user.username).toBe('alice');
  });

  test("a successful login forgets the address's earlier failures for the account and gives its own check back", async () => {
    const { deps, clock, throttle } = setup();
    for (let i = 0; i < 4; i++) {
      await expect(login(deps)(attempt('alice', 'wrong'))).rejects.toMatchObject(invalidCredentials);
      clock.advance(10_000);
    }
    await login(deps)(attempt('alice', 'password:alice'));

    expect(throttle.windows.get('pair:10.0.0.1 alice')).toBeUndefined();
    expect(throttle.windows.get('account:alice')?.attempts).toBe(4);
    for (let i = 0; i < 4; i++) {
      await expect(login(deps)(attempt('alice', 'wrong'))).rejects.toMatchObject(invalidCredentials);
      clock.advance(10_000);
    }
    expect((await login(deps)(attempt('alice', 'password:alice'))).user.username).toBe('alice');
  });
});

describe('refresh', () => {
  test('spends the refresh token and issues a new pair in the same session', async () => {
    const { deps } = setup();
    const first = await login(deps)(attempt('alice', 'password:alice'));

    const second = await refresh(deps)({ refreshToken: first.refreshToken, correlationId: 'c' });

    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
  });

  test('reuse of a spent token revokes the whole session, including the token that replaced it', async () => {
    const { deps, events, sessions } = setup();
    const first = await login(deps)(attempt('alice', 'password:alice'));
    const second = await refresh(deps)({ refreshToken: first.refreshToken, correlationId: 'c' });

    await expect(refresh(deps)({ refreshToken: first.refreshToken, correlationId: 'c' })).rejects.toMatchObject({
      code: 'AUTH.REFRESH_TOKEN_INVALID',
    });
    await expect(refresh(deps)({ refreshToken: second.refreshToken, correlationId: 'c' })).rejects.toMatchObject({
      code: 'AUTH.REFRESH_TOKEN_INVALID',
    });

    expect(sessions.get(first.sessionId)?.revokedReason).toBe('refresh-token-reuse');
    expect(events.map((e) => e.type === 'SessionRevoked' && e.reason)).toEqual(['refresh-token-reuse']);
  });

  test("refuses an unknown, expired or deactivated user's token", async () => {
    const { deps, clock, users, alice } = setup();
    const a = await login(deps)(attempt('alice', 'password:alice'));
    const b = await login(deps)(attempt('alice', 'password:alice'));
    const refused = { code: 'AUTH.REFRESH_TOKEN_INVALID' };

    await expect(refresh(deps)({ refreshToken: 'made-up', correlationId: 'c' })).rejects.toMatchObject(refused);
    clock.advance(8 * 86_400_000);
    await expect(refresh(deps)({ refreshToken: a.refreshToken, correlationId: 'c' })).rejects.toMatchObject(refused);
    clock.advance(-8 * 86_400_000);
    users.set(alice.id, { ...alice, active: false });
    await expect(refresh(deps)({ refreshToken: b.refreshToken, correlationId: 'c' })).rejects.toMatchObject(refused);
  });
});

describe('logout', () => {
  test('revokes the session once, announces it, and its refresh token stops working', async () => {
    const { deps, events, alice } = setup();
    const session = await login(deps)(attempt('alice', 'password:alice'));
    const command = { userId: alice.id, sessionId: session.sessionId, correlationId: 'c' };

    await logout(deps)(command);
    await logout(deps)(command);

    expect(events).toEqual([
      {
        type: 'SessionRevoked',
        occurredAt: deps.clock.now(),
        userId: alice.id,
        sessionId: session.sessionId,
        reason: 'logout',
      },
    ]);
    await expect(refresh(deps)({ refreshToken: session.refreshToken, correlationId: 'c' })).rejects.toMatchObject({
      code: 'AUTH.REFRESH_TOKEN_INVALID',
    });
  });

  test("cannot end another user's session", async () => {
    const { deps, events, sessions } = setup();
    const session = await login(deps)(attempt('alice', 'password:alice'));

    await logout(deps)({ userId: 'someone-else', sessionId: session.sessionId, correlationId: 'c' });

    expect(sessions.get(session.sessionId)?.revokedAt).toBeNull();
    expect(events).toEqual([]);
  });
});
