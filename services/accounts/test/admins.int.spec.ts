import { test, beforeAll, afterAll, expect } from '@jest/globals';
import { buildUseCases } from '../src/main';
import { startAccounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startAccounts();
});
afterAll(() => h.close());

test('two admins demoting each other at once leave one admin, with a 409 and no error', async () => {
  const useCases = buildUseCases(h.deps);
  const first = await h.db('users').where({ username: 'admin' }).first();
  const second = await useCases.registerUser({
    actor: { userId: first.id, role: 'admin', sessionId: 's' },
    username: 'second.admin',
    email: 'second@shop.test',
    fullName: 'Second',
    role: 'admin',
    password: 'another fine passphrase',
    correlationId: 'c',
  });

  for (let round = 0; round < 5; round++) {
    const demote = (actor: string, target: string) =>
      useCases.updateUser({
        actor: { userId: actor, role: 'admin', sessionId: 's' },
        id: target,
        changes: { role: 'manager' },
        clientAddress: '127.0.0.1',
        correlationId: 'c',
      });

    const results = await Promise.allSettled([demote(first.id, second.id), demote(second.id, first.id)]);

    const outcomes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code)).sort();
    expect({ round, outcomes }).toEqual({ round, outcomes: ['USER.LAST_ADMIN', 'ok'] });
    const admins = await h.db('users').where({ role: 'admin', active: true }).whereNull('deleted_at');
    expect({ round, admins: admins.length }).toEqual({ round, admins: 1 });
    const survivor = admins[0].id as string;
    const demoted = survivor === first.id ? second.id : first.id;
    await h.db('users').where({ id: demoted }).update({ role: 'admin' });
  }
});
