// A transaction without a knex instance of its own (./transaction.ts), against the real Postgres:
// what commits, what rolls back, what a savepoint keeps, and that nothing runs on the connection
// once the transaction has ended.
import { expect, test } from '@jest/globals';
import { testDatabaseUrl } from '../testing/events';
import { namesTable } from '../testing/names-table';
import { createDatabase, type Knex } from './database';
import { deferWrite } from './pipeline';
import { afterCommit, transaction } from './transaction';

const scratch = namesTable('transaction_spec');
const { table, names } = scratch;

test("commits the work's rows and answers what the work answered", async () => {
  const answer = await transaction(scratch.db, async (trx) => {
    await trx(table).insert({ id: 1, name: 'builder' });
    await trx.raw(`insert into ${table} (id, name) values (?, ?)`, [2, 'raw']);
    await deferWrite(trx, trx(table).insert({ id: 3, name: 'deferred' }));
    return 'done';
  });
  expect(answer).toBe('done');
  expect(await names()).toEqual(['builder', 'raw', 'deferred']);
});

test('the statements run in one transaction: the work sees its own rows, others do not until COMMIT', async () => {
  const outside = createDatabase(testDatabaseUrl, { min: 0, max: 1 });
  try {
    await transaction(scratch.db, async (trx) => {
      await trx(table).insert({ id: 1, name: 'inside' });
      expect(await trx(table).pluck('name')).toEqual(['inside']);
      expect(await outside(table).pluck('name')).toEqual([]);
    });
    expect(await outside(table).pluck('name')).toEqual(['inside']);
  } finally {
    await outside.destroy();
  }
});

test("rolls back when the work throws, and the caller gets the work's own error", async () => {
  const failure = new Error('changed its mind');
  await expect(
    transaction(scratch.db, async (trx) => {
      await trx(table).insert({ id: 1, name: 'gone' });
      throw failure;
    }),
  ).rejects.toBe(failure);
  expect(await names()).toEqual([]);
});

test('a failing statement rolls back the statements before it, and a failing deferred write fails the COMMIT', async () => {
  await expect(
    transaction(scratch.db, async (trx) => {
      await trx(table).insert({ id: 1, name: 'first' });
      await trx(table).insert({ id: 1, name: 'same key' });
    }),
  ).rejects.toMatchObject({ code: '23505' });
  await expect(
    transaction(scratch.db, async (trx) => {
      await trx(table).insert({ id: 2, name: 'kept only with its deferred write' });
      await deferWrite(trx, trx(table).insert({ id: 2, name: 'same key' }));
    }),
  ).rejects.toMatchObject({ code: '23505' });
  expect(await names()).toEqual([]);
  // The one connection went back to the pool outside any transaction.
  await scratch.db(table).insert({ id: 3, name: 'after' });
  expect(await names()).toEqual(['after']);
});

test('a statement on the transaction after it ended is refused, not run in whatever transaction holds the connection next', async () => {
  let kept: Knex.Transaction | undefined;
  await transaction(scratch.db, async (trx) => {
    kept = trx;
    await trx(table).insert({ id: 1, name: 'inside' });
  });
  await expect(kept!(table).insert({ id: 2, name: 'late' })).rejects.toThrow(/transaction has ended/);
  await transaction(scratch.db, async () => {
    await expect(kept!.raw(`insert into ${table} (id, name) values (3, 'late')`)).rejects.toThrow(
      /transaction has ended/,
    );
  });
  expect(await names()).toEqual(['inside']);
});

test('trx.transaction runs in a savepoint: its failure undoes only its own rows', async () => {
  await transaction(scratch.db, async (trx) => {
    await trx(table).insert({ id: 1, name: 'outer' });
    await expect(
      trx.transaction(async (inner) => {
        await inner(table).insert({ id: 2, name: 'inner, undone' });
        await inner(table).insert({ id: 1, name: 'same key' });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    await trx.transaction(async (inner) => {
      await inner(table).insert({ id: 3, name: 'inner, kept' });
    });
  });
  expect(await names()).toEqual(['outer', 'inner, kept']);
});

test("every statement is told to the pool's query listeners, as knex's transactions tell them", async () => {
  const seen: string[] = [];
  const listener = (query: { sql: string }) => seen.push(query.sql);
  scratch.db.on('query', listener);
  try {
    await transaction(scratch.db, async (trx) => {
      await trx(table).insert({ id: 1, name: 'told' });
    });
  } finally {
    scratch.db.off('query', listener);
  }
  expect(seen).toEqual(['BEGIN;', `insert into "${table}" ("id", "name") values ($1, $2)`, 'COMMIT;']);
});

test('inside a transaction it opens a savepoint instead of a second transaction', async () => {
  await transaction(scratch.db, async (trx) => {
    await trx(table).insert({ id: 1, name: 'outer' });
    await expect(
      transaction(trx, async (inner) => {
        await inner(table).insert({ id: 2, name: 'undone' });
        throw new Error('inner failure');
      }),
    ).rejects.toThrow('inner failure');
  });
  expect(await names()).toEqual(['outer']);
});

test('afterCommit runs its hook once the rows are committed, once however often given, and never on a rollback', async () => {
  const outside = createDatabase(testDatabaseUrl, { min: 0, max: 1 });
  try {
    const ran: string[] = [];
    const hook = (label: string) => () => ran.push(label);
    const once = hook('given twice');
    let committedDuringWork: string[] = [];
    await transaction(scratch.db, async (trx) => {
      await trx(table).insert({ id: 1, name: 'kept' });
      afterCommit(trx, once);
      afterCommit(trx, once);
      await trx.transaction(async (inner) => afterCommit(inner, hook('from a savepoint')));
      committedDuringWork = await outside(table).pluck('name');
      expect(ran).toEqual([]);
    });
    expect(committedDuringWork).toEqual([]);
    expect(ran).toEqual(['given twice', 'from a savepoint']);

    await expect(
      transaction(scratch.db, async (trx) => {
        afterCommit(trx, hook('rolled back'));
        throw new Error('changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(ran).toEqual(['given twice', 'from a savepoint']);
  } finally {
    await outside.destroy();
  }
});

test('a hook that throws does not make a committed transaction look failed', async () => {
  const answer = await transaction(scratch.db, async (trx) => {
    await trx(table).insert({ id: 1, name: 'committed' });
    afterCommit(trx, () => {
      throw new Error('a broken listener');
    });
    return 'done';
  });
  expect(answer).toBe('done');
  expect(await names()).toEqual(['committed']);
});
