// The unit of work against the real Postgres: inside the consumer's inbox transaction a use case
// joins it, so an event costs no savepoint statements.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import { statementsOf as statementsSentBy, testDatabase } from '@tulity/adapters/testing/kit';
import { createUnitOfWork } from '../src/adapters/postgres/unit-of-work';
import { migrations } from '../src/main';

let db: Knex;
beforeAll(async () => {
  db = await testDatabase('notifications', migrations);
});
afterAll(() => db.destroy());

const statementsOf = (work: () => Promise<unknown>) => statementsSentBy(db, work);

const recipient = () => ({ id: randomUUID(), username: `u-${randomUUID()}`, role: 'admin' as const, active: true });

test('a use case inside a transaction joins it: its writes commit or roll back with it, without a savepoint', async () => {
  const kept = recipient();
  const statements = await statementsOf(() =>
    db.transaction((inbox) => createUnitOfWork(inbox, randomUUID).run('c', (tx) => tx.recipients.save(kept))),
  );
  expect(statements.filter((sql) => /savepoint/i.test(sql))).toEqual([]);
  expect(await db('recipients').where({ id: kept.id }).first()).toMatchObject({ username: kept.username });

  const dropped = recipient();
  await expect(
    db.transaction(async (inbox) => {
      await createUnitOfWork(inbox, randomUUID).run('c', (tx) => tx.recipients.save(dropped));
      throw new Error('the next event of the run failed');
    }),
  ).rejects.toThrow('the next event of the run failed');
  expect(await db('recipients').where({ id: dropped.id }).first()).toBeUndefined();
});

test('on the pool a use case opens its own transaction', async () => {
  const statements = await statementsOf(() =>
    createUnitOfWork(db, randomUUID).run('c', (tx) => tx.recipients.save(recipient())),
  );
  expect(statements[0]).toMatch(/^BEGIN/);
  expect(statements.at(-1)).toMatch(/^COMMIT/);
});
