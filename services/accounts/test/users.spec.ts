import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { bootstrapAdmin } from '../src/application/bootstrap-admin';
import { deleteUser } from '../src/application/delete-user';
import { login } from '../src/application/login';
import { refresh } from '../src/application/refresh';
import { registerUser } from '../src/application/register-user';
import { updateUser } from '../src/application/update-user';
import { getUser, listUsers } from '../src/application/view-users';
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
const newCashier = { username: 'dora', email: 'Dora@Example.com', fullName: ' Dora D ', role: 'cashier' as const, password: 'a long pass 123', correlationId: 'c' };

describe('registerUser', () => {
  test('an admin registers a user, stored with a hash, announced without it', async () => {
    const { deps, admin, events, users } = setup();

    const result = await registerUser(deps)({ actor: actor(admin), ...newCashier });

    assert.ok(result.ok);
    assert.equal(result.value.email, 'dora@example.com');
    assert.equal(result.value.fullName, 'Dora D');
    assert.equal(users.get(result.value.id)?.passwordHash, 'hashed:a long pass 123');
    assert.deepEqual(events.map((e) => e.type), ['UserRegistered']);
    assert.equal(JSON.stringify(events).includes('hashed'), false);
  });

  test('refuses a manager, a weak password and a taken username, writing nothing', async () => {
    const { deps, admin, manager, events, users } = setup();

    const byManager = await registerUser(deps)({ actor: actor(manager), ...newCashier });
    const weak = await registerUser(deps)({ actor: actor(admin), ...newCashier, password: 'dora123' });
    const taken = await registerUser(deps)({ actor: actor(admin), ...newCashier, username: 'carl' });

    assert.equal(!byManager.ok && byManager.failure.kind, 'forbidden');
    assert.equal(!weak.ok && weak.failure.code, 'USER.PASSWORD_POLICY');
    assert.deepEqual(!weak.ok && weak.failure.fields?.map((f) => f.field), ['password']);
    assert.equal(!taken.ok && taken.failure.code, 'USER.USERNAME_TAKEN');
    assert.equal(users.size, 3);
    assert.deepEqual(events, []);
  });
});

describe('viewing users', () => {
  test('a cashier sees only themselves and cannot list', async () => {
    const { deps, cashier, manager } = setup();

    const own = await getUser(deps)(actor(cashier), cashier.id);
    const other = await getUser(deps)(actor(cashier), manager.id);
    const list = await listUsers(deps)(actor(cashier), { page: 1, pageSize: 20, sort: 'username', descending: false });

    assert.equal(own.ok && own.value.username, 'carl');
    assert.equal(!other.ok && other.failure.kind, 'forbidden');
    assert.equal(!list.ok && list.failure.kind, 'forbidden');
  });

  test('a manager lists users without their password hashes', async () => {
    const { deps, manager } = setup();

    const list = await listUsers(deps)(actor(manager), { page: 1, pageSize: 20, sort: 'username', descending: false });

    assert.ok(list.ok);
    assert.equal(list.value.total, 3);
    assert.ok(list.value.items.every((user) => !('passwordHash' in user)));
  });
});

describe('updateUser', () => {
  test('a user edits their own profile', async () => {
    const { deps, cashier, events } = setup();

    const result = await updateUser(deps)({ actor: actor(cashier), id: cashier.id, changes: { fullName: 'Carl C', email: 'CARL@shop.test' }, correlationId: 'c' });

    assert.ok(result.ok);
    assert.equal(result.value.email, 'carl@shop.test');
    assert.deepEqual(events.map((e) => e.type), ['UserUpdated']);
  });

  test('nobody but an admin changes a role or the active flag, or another user\'s profile', async () => {
    const { deps, cashier, manager, events } = setup();

    const ownRole = await updateUser(deps)({ actor: actor(cashier), id: cashier.id, changes: { role: 'admin' }, correlationId: 'c' });
    const otherProfile = await updateUser(deps)({ actor: actor(manager), id: cashier.id, changes: { fullName: 'X' }, correlationId: 'c' });

    assert.equal(!ownRole.ok && ownRole.failure.kind, 'forbidden');
    assert.equal(!otherProfile.ok && otherProfile.failure.kind, 'forbidden');
    assert.deepEqual(events, []);
  });

  test('a password change needs the right current password and ends the other sessions', async () => {
    const { deps, cashier, users, events } = setup();
    const here = await login(deps)({ username: 'carl', password: 'password:carl', clientAddress: 'a', correlationId: 'c' });
    const elsewhere = await login(deps)({ username: 'carl', password: 'password:carl', clientAddress: 'b', correlationId: 'c' });
    assert.ok(here.ok && elsewhere.ok);
    const change = (changes: object) => updateUser(deps)({ actor: actor(cashier, here.value.sessionId), id: cashier.id, changes, correlationId: 'c' });

    const missing = await change({ password: 'new password 99' });
    const wrong = await change({ password: 'new password 99', currentPassword: 'nope' });
    const weak = await change({ password: 'short', currentPassword: 'password:carl' });
    const done = await change({ password: 'new password 99', currentPassword: 'password:carl' });

    assert.equal(!missing.ok && missing.failure.code, 'USER.CURRENT_PASSWORD_REQUIRED');
    assert.equal(!wrong.ok && wrong.failure.code, 'USER.CURRENT_PASSWORD_WRONG');
    assert.equal(!weak.ok && weak.failure.code, 'USER.PASSWORD_POLICY');
    assert.ok(done.ok);
    assert.equal(users.get(cashier.id)?.passwordHash, 'hashed:new password 99');
    assert.deepEqual(events.map((e) => e.type === 'SessionRevoked' && e.sessionId), [elsewhere.value.sessionId]);
    assert.ok((await refresh(deps)({ refreshToken: here.value.refreshToken, correlationId: 'c' })).ok);
    assert.equal((await refresh(deps)({ refreshToken: elsewhere.value.refreshToken, correlationId: 'c' })).ok, false);
  });

  test('an admin\'s role change ends the user\'s sessions so no token keeps the old role', async () => {
    const { deps, admin, cashier, events } = setup();
    const session = await login(deps)({ username: 'carl', password: 'password:carl', clientAddress: 'a', correlationId: 'c' });
    assert.ok(session.ok);

    const result = await updateUser(deps)({ actor: actor(admin), id: cashier.id, changes: { role: 'manager' }, correlationId: 'c' });

    assert.equal(result.ok && result.value.role, 'manager');
    assert.deepEqual(events.map((e) => (e.type === 'SessionRevoked' ? `${e.type}:${e.reason}` : e.type)), ['UserUpdated', 'SessionRevoked:role-changed']);
  });

  test('deactivation is announced as an update with active=false and ends the sessions', async () => {
    const { deps, admin, cashier, events, sessions } = setup();
    const session = await login(deps)({ username: 'carl', password: 'password:carl', clientAddress: 'a', correlationId: 'c' });
    assert.ok(session.ok);

    await updateUser(deps)({ actor: actor(admin), id: cashier.id, changes: { active: false }, correlationId: 'c' });

    assert.deepEqual(events.map((e) => e.type === 'UserUpdated' && e.user.active), [false]);
    assert.equal(sessions.get(session.value.sessionId)?.revokedReason, 'deactivated');
  });

  test('the last active admin cannot demote or deactivate themselves', async () => {
    const { deps, admin, events } = setup();

    const demoted = await updateUser(deps)({ actor: actor(admin), id: admin.id, changes: { role: 'manager' }, correlationId: 'c' });
    const deactivated = await updateUser(deps)({ actor: actor(admin), id: admin.id, changes: { active: false }, correlationId: 'c' });

    assert.equal(!demoted.ok && demoted.failure.code, 'USER.LAST_ADMIN');
    assert.equal(!deactivated.ok && deactivated.failure.code, 'USER.LAST_ADMIN');
    assert.deepEqual(events, []);
  });

  test('an email taken by someone else is a conflict', async () => {
    const { deps, cashier, manager } = setup();

    const result = await updateUser(deps)({ actor: actor(cashier), id: cashier.id, changes: { email: manager.email }, correlationId: 'c' });

    assert.equal(!result.ok && result.failure.code, 'USER.EMAIL_TAKEN');
  });
});

describe('deleteUser', () => {
  test('soft-deletes: the user is gone, announced, and cannot log in or refresh', async () => {
    const { deps, admin, cashier, users, events } = setup();
    const session = await login(deps)({ username: 'carl', password: 'password:carl', clientAddress: 'a', correlationId: 'c' });
    assert.ok(session.ok);

    const result = await deleteUser(deps)({ actor: actor(admin), id: cashier.id, correlationId: 'c' });

    assert.ok(result.ok);
    assert.ok(users.get(cashier.id)?.deletedAt);
    assert.deepEqual(events.map((e) => e.type === 'UserDeleted' && e.mode), ['DELETED']);
    assert.equal((await getUser(deps)(actor(admin), cashier.id)).ok, false);
    assert.equal((await login(deps)({ username: 'carl', password: 'password:carl', clientAddress: 'a', correlationId: 'c' })).ok, false);
    assert.equal((await refresh(deps)({ refreshToken: session.value.refreshToken, correlationId: 'c' })).ok, false);
  });

  test('only an admin deletes, a missing user is not found, and the last admin stays', async () => {
    const { deps, admin, manager, cashier } = setup();

    const byManager = await deleteUser(deps)({ actor: actor(manager), id: cashier.id, correlationId: 'c' });
    const missing = await deleteUser(deps)({ actor: actor(admin), id: 'nobody', correlationId: 'c' });
    const lastAdmin = await deleteUser(deps)({ actor: actor(admin), id: admin.id, correlationId: 'c' });

    assert.equal(!byManager.ok && byManager.failure.kind, 'forbidden');
    assert.equal(!missing.ok && missing.failure.kind, 'not-found');
    assert.equal(!lastAdmin.ok && lastAdmin.failure.code, 'USER.LAST_ADMIN');
  });
});

describe('bootstrapAdmin', () => {
  test('creates the first admin once, and refuses a password that breaks the policy', async () => {
    const { deps, users, events } = fakeDeps();
    const settings = { username: 'admin', password: 'first boss pw 1', email: 'admin@tulity.local' };

    const first = await bootstrapAdmin(deps)(settings);
    const second = await bootstrapAdmin(deps)(settings);

    assert.equal(first, 'created');
    assert.equal(second, 'admin-exists');
    assert.equal(users.size, 1);
    assert.equal([...users.values()][0]?.role, 'admin');
    assert.equal(events.length, 1);
    await assert.rejects(bootstrapAdmin(fakeDeps().deps)({ ...settings, password: 'short' }), /policy/);
  });
});
