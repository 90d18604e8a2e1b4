import { describe, expect, test } from '@jest/globals';
import { bootstrapAdmin } from '../src/application/bootstrap-admin';
import { deleteUser } from '../src/application/delete-user';
import { getUser } from '../src/application/get-user';
import { listUsers } from '../src/application/list-users';
import { login } from '../src/application/login';
import { refresh } from '../src/application/refresh';
import { registerUser } from '../src/application/register-user';
import { updateUser, type UserChanges } from '../src/application/update-user';
import type { User } from '../src/domain/user';
import { aUser, fakeDeps } from './fakes';

function setup() {
  const world = fakeDeps();
  const admin = aUser({ username: 'root', role: 'admin' });
  const manager = aUser({ username: 'mona', role: 'manager' });
  const cashier = aUser({ username: 'carl' });
  for (const user of [admin, manager, cashier]) world.users.set(user.id, user);
  return { ...world, admin, manager, cashier };
}
const actor = (user: User, sessionId = 'session-of-actor') => ({ userId: user.id, role: user.role, sessionId });
const newCashier = {
  username: 'dora',
  email: 'Dora@Example.com',
  fullName: ' Dora D ',
  role: 'cashier' as const,
  password: 'a long pass 123',
  correlationId: 'c',
};
const change = (by: User, id: string, changes: UserChanges, sessionId?: string) => ({
  actor: actor(by, sessionId),
  id,
  changes,
  clientAddress: '10.0.0.1',
  correlationId: 'c',
});
const logIn = (username: string, clientAddress: string) => ({
  username,
  password: `password:${username}`,
  clientAddress,
  correlationId: 'c',
});
const listAll = { page: 1, pageSize: 20, sort: 'username' as const, descending: false };

describe('registerUser', () => {
  test('an admin registers a user, stored with a hash, announced without it', async () => {
    const { deps, admin, events, users } = setup();

    const user = await registerUser(deps)({ actor: actor(admin), ...newCashier });

    expect(user.email).toBe('dora@example.com');
    expect(user.fullName).toBe('Dora D');
    expect(users.get(user.id)?.passwordHash).toBe('hashed:a long pass 123');
    expect(events.map((e) => e.type)).toEqual(['UserRegistered']);
    expect(JSON.stringify(events)).not.toContain('hashed');
  });

  test('refuses a manager, a weak password and a taken username, writing nothing', async () => {
    const { deps, admin, manager, events, users } = setup();

    await expect(registerUser(deps)({ actor: actor(manager), ...newCashier })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(registerUser(deps)({ actor: actor(admin), ...newCashier, password: 'dora123' })).rejects.toMatchObject(
      { code: 'USER.PASSWORD_POLICY', fields: [{ field: 'password' }] },
    );
    await expect(registerUser(deps)({ actor: actor(admin), ...newCashier, username: 'carl' })).rejects.toMatchObject({
      code: 'USER.USERNAME_TAKEN',
    });

    expect(users.size).toBe(3);
    expect(events).toEqual([]);
  });
});

describe('viewing users', () => {
  test('a cashier sees only themselves (others are not found) and cannot list', async () => {
    const { deps, cashier, manager } = setup();

    expect((await getUser(deps)(actor(cashier), cashier.id)).username).toBe('carl');
    await expect(getUser(deps)(actor(cashier), manager.id)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(listUsers(deps)(actor(cashier), listAll)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  test('a manager lists users without their password hashes', async () => {
    const { deps, manager } = setup();

    const list = await listUsers(deps)(actor(manager), listAll);

    expect(list.total).toBe(3);
    expect(list.items.every((user) => !('passwordHash' in user))).toBe(true);
  });
});

describe('updateUser', () => {
  test('a user edits their own profile', async () => {
    const { deps, cashier, events } = setup();

    const user = await updateUser(deps)(change(cashier, cashier.id, { fullName: 'Carl C', email: 'CARL@shop.test' }));

    expect(user.email).toBe('carl@shop.test');
    expect(events.map((e) => e.type)).toEqual(['UserUpdated']);
  });

  test("nobody but an admin changes a role or the active flag, or another user's profile", async () => {
    const { deps, cashier, manager, events } = setup();

    await expect(updateUser(deps)(change(cashier, cashier.id, { role: 'admin' }))).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(updateUser(deps)(change(manager, cashier.id, { fullName: 'X' }))).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(updateUser(deps)(change(cashier, manager.id, { fullName: 'X' }))).rejects.toMatchObject({
      kind: 'not-found',
    });
    expect(events).toEqual([]);
  });

  test('a password change needs the right current password and ends the other sessions', async () => {
    const { deps, cashier, users, events } = setup();
    const here = await login(deps)(logIn('carl', 'a'));
    const elsewhere = await login(deps)(logIn('carl', 'b'));
    const changePassword = (changes: UserChanges) =>
      updateUser(deps)(change(cashier, cashier.id, changes, here.sessionId));

    await expect(changePassword({ password: 'new password 99' })).rejects.toMatchObject({
      code: 'USER.CURRENT_PASSWORD_REQUIRED',
    });
    await expect(changePassword({ password: 'new password 99', currentPassword: 'nope' })).rejects.toMatchObject({
      code: 'USER.CURRENT_PASSWORD_WRONG',
    });
    await expect(changePassword({ password: 'short', currentPassword: 'password:carl' })).rejects.toMatchObject({
      code: 'USER.PASSWORD_POLICY',
    });
    await changePassword({ password: 'new password 99', currentPassword: 'password:carl' });

    expect(users.get(cashier.id)?.passwordHash).toBe('hashed:new password 99');
    expect(events.map((e) => e.type === 'SessionRevoked' && e.sessionId)).toEqual([elsewhere.sessionId]);
    await refresh(deps)({ refreshToken: here.refreshToken, correlationId: 'c' });
    await expect(refresh(deps)({ refreshToken: elsewhere.refreshToken, correlationId: 'c' })).rejects.toMatchObject({
      code: 'AUTH.REFRESH_TOKEN_INVALID',
    });
  });

  test('a wrong current password counts as a guess like a login', async () => {
    const { deps, cashier, hasher } = setup();
    for (let i = 0; i < 2; i++) {
      await expect(
        updateUser(deps)(change(cashier, cashier.id, { password: 'new password 99', currentPassword: 'nope' })),
      ).rejects.toMatchObject({ code: 'USER.CURRENT_PASSWORD_WRONG' });
    }
    const verified = hasher.verifications;

    await expect(login(deps)(logIn('carl', '10.0.0.1'))).rejects.toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS' });
    expect(hasher.verifications).toBe(verified);
  });

  test("an admin's role change ends the user's sessions so no token keeps the old role", async () => {
    const { deps, admin, cashier, events } = setup();
    await login(deps)(logIn('carl', 'a'));

    const user = await updateUser(deps)(change(admin, cashier.id, { role: 'manager' }));

    expect(user.role).toBe('manager');
    expect(events.map((e) => (e.type === 'SessionRevoked' ? `${e.type}:${e.reason}` : e.type))).toEqual([
      'UserUpdated',
      'SessionRevoked:role-changed',
    ]);
  });

  test('deactivation is announced as an update with active=false and ends the sessions', async () => {
    const { deps, admin, cashier, events, sessions } = setup();
    const session = await login(deps)(logIn('carl', 'a'));

    await updateUser(deps)(change(admin, cashier.id, { active: false }));

    expect(events.map((e) => e.type === 'UserUpdated' && e.user.active)).toEqual([false]);
    expect(sessions.get(session.sessionId)?.revokedReason).toBe('deactivated');
  });

  test('the last active admin cannot demote or deactivate themselves', async () => {
    const { deps, admin, events } = setup();

    await expect(updateUser(deps)(change(admin, admin.id, { role: 'manager' }))).rejects.toMatchObject({
      code: 'USER.LAST_ADMIN',
    });
    await expect(updateUser(deps)(change(admin, admin.id, { active: false }))).rejects.toMatchObject({
      code: 'USER.LAST_ADMIN',
    });
    expect(events).toEqual([]);
  });

  test('an email taken by someone else is a conflict', async () => {
    const { deps, cashier, manager } = setup();

    await expect(updateUser(deps)(change(cashier, cashier.id, { email: manager.email }))).rejects.toMatchObject({
      code: 'USER.EMAIL_TAKEN',
    });
  });
});

describe('deleteUser', () => {
  test('soft-deletes: the user is gone, announced, and cannot log in or refresh', async () => {
    const { deps, admin, cashier, users, events } = setup();
    const session = await login(deps)(logIn('carl', 'a'));

    await deleteUser(deps)({ actor: actor(admin), id: cashier.id, correlationId: 'c' });

    expect(users.get(cashier.id)?.deletedAt).toBeTruthy();
    expect(events.map((e) => e.type === 'UserDeleted' && e.mode)).toEqual(['DELETED']);
    await expect(getUser(deps)(actor(admin), cashier.id)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(login(deps)(logIn('carl', 'b'))).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    await expect(refresh(deps)({ refreshToken: session.refreshToken, correlationId: 'c' })).rejects.toMatchObject({
      code: 'AUTH.REFRESH_TOKEN_INVALID',
    });
  });

  test('only an admin deletes, a missing user is not found, and the last admin stays', async () => {
    const { deps, admin, manager, cashier } = setup();

    await expect(deleteUser(deps)({ actor: actor(manager), id: cashier.id, correlationId: 'c' })).rejects.toMatchObject(
      { kind: 'forbidden' },
    );
    await expect(deleteUser(deps)({ actor: actor(admin), id: 'nobody', correlationId: 'c' })).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(deleteUser(deps)({ actor: actor(admin), id: admin.id, correlationId: 'c' })).rejects.toMatchObject({
      code: 'USER.LAST_ADMIN',
    });
  });
});

describe('bootstrapAdmin', () => {
  test('creates the first admin once, and refuses a password that breaks the policy', async () => {
    const { deps, users, events } = fakeDeps();
    const settings = { username: 'admin', password: 'first boss pw 1', email: 'admin@tulity.local' };

    expect(await bootstrapAdmin(deps)(settings)).toBe('created');
    expect(await bootstrapAdmin(deps)(settings)).toBe('admin-exists');

    expect(users.size).toBe(1);
    expect([...users.values()][0]?.role).toBe('admin');
    expect(events.length).toBe(1);
    await expect(bootstrapAdmin(fakeDeps().deps)({ ...settings, password: 'short' })).rejects.toThrow(/policy/);
  });
});
