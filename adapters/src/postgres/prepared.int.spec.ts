// Statements prepared by the pool's dialect, against the real Postgres: what a connection holds
// prepared, inside and outside transactions, and what a migration under a running pool does.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { testDatabaseUrl } from '../testing/events';
import { createDatabase, type Knex } from './database';
import { preparedPerConnection } from './prepared';

const table = `prepared_spec_${process.pid}`;
let db: Knex;

beforeAll(async () => {
  db = createDatabase(testDatabaseUrl, { min: 0, max: 1 });
  await db.schema.createTable(table, (t) => {
    t.integer('id').primary();
    t.text('name');
  });
  await db(table).insert({ id: 1, name: 'one' });
});
afterAll(async () => {
  await db.schema.dropTableIfExists(table);
  await db.destroy();
});

const preparedTexts = async (): Promise<string[]> =>
  (await db.raw(`select statement from pg_prepared_statements where statement like ?`, [`%${table}%`])).rows.map(
    (row: { statement: string }) => row.statement,
  );

test('a statement with parameters, or a query without, is prepared once on its connection, in a transaction or not; select * is not', async () => {
  await db(table).select('id', 'name').where({ id: 1 });
  await db.transaction(async (trx) => {
    await trx(table).select('id', 'name').where({ id: 1 });
    await trx(table).update({ name: 'uno' }).where({ id: 1 });
  });
  await db(table).where({ id: 1 }).first();
  await db(table).select('id').orderBy('id').limit(1, { skipBinding: true });
  await db(table).select('*').orderBy('id').limit(1, { skipBinding: true });

  expect((await preparedTexts()).sort()).toEqual([
    `insert into "${table}" ("id", "name") values ($1, $2)`,
    `select "id" from "${table}" order by "id" asc limit 1`,
    `select "id", "name" from "${table}" where "id" = $1`,
    `update "${table}" set "name" = $1 where "id" = $2`,
  ]);
});

test('reads of every column keep working when a migration adds one under the pool', async () => {
  const read = () => db(table).where({ id: 1 }).first();
  await read();
  await read();
  await db.schema.alterTable(table, (t) => t.text('note'));
  expect(await read()).toEqual({ id: 1, name: 'uno', note: null });
});

test(`a connection keeps at most ${preparedPerConnection} statements prepared; the rest run unprepared`, async () => {
  for (let i = 0; i < preparedPerConnection + 20; i++) {
    const [row] = await db(table)
      .select(db.raw(`? + ${i} as "n"`, [1]))
      .where({ id: 1 });
    expect(row.n).toBe(1 + i);
  }
  const { rows } = await db.raw(`select count(*)::int as count from pg_prepared_statements where ? <> ''`, ['x']);
  expect(rows[0].count).toBe(preparedPerConnection);
});
