import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { assertTestDatabase, createDatabase, type Knex } from './database';
import { paged } from './paging';

const url =
  process.env.TULITY_ADAPTERS_TEST_DATABASE_URL ??
  'postgres://tulity_adapters:tulity_adapters@127.0.0.1:5432/tulity_adapters_test';
const table = `paging_${randomUUID().replaceAll('-', '')}`;

interface ItemRow {
  id: number;
  name: string;
  colour: string;
}

describe('paged', () => {
  let db: Knex;
  const statements: string[] = [];
  beforeAll(async () => {
    assertTestDatabase(url);
    db = createDatabase(url);
    await db.schema.createTable(table, (t) => {
      t.integer('id').primary();
      t.text('name').notNullable();
      t.text('colour').notNullable();
    });
    await db(table).insert(
      Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `item ${7 - i}`, colour: i % 2 ? 'red' : 'blue' })),
    );
    db.on('query', (query: { sql: string }) => statements.push(query.sql));
  });
  afterAll(async () => {
    await db.schema.dropTable(table);
    await db.destroy();
  });

  const list = (page: number, pageSize: number) => ({ page, pageSize, sort: 'name' as const, descending: false });
  const names = (rows: ItemRow[]) => rows.map((row) => row.name);

  test('answers a page and the total in one statement, rows as the query selects them', async () => {
    statements.length = 0;

    const page = await paged(db(table).where({ colour: 'blue' }), list(1, 3), { name: 'name' }, (r: ItemRow) => r);

    expect(statements).toHaveLength(1);
    expect(page.total).toBe(4);
    expect(names(page.items)).toEqual(['item 1', 'item 3', 'item 5']);
    expect(page.items[0]).toEqual({ id: 7, name: 'item 1', colour: 'blue' });
  });

  test('keeps a select list of its own', async () => {
    const page = await paged(db(table).select('id', 'name'), list(2, 5), { name: 'name' }, (r: ItemRow) => r);

    expect(page).toEqual({
      items: [
        { id: 2, name: 'item 6' },
        { id: 1, name: 'item 7' },
      ],
      total: 7,
      page: 2,
      pageSize: 5,
    });
  });

  test('a page past the end is empty and still tells the total', async () => {
    const page = await paged(db(table).where({ colour: 'red' }), list(5, 2), { name: 'name' }, (r: ItemRow) => r);

    expect([page.items, page.total]).toEqual([[], 3]);
  });

  test('nothing matching is an empty first page with a total of 0', async () => {
    const page = await paged(db(table).where({ colour: 'green' }), list(1, 2), { name: 'name' }, (r: ItemRow) => r);

    expect([page.items, page.total]).toEqual([[], 0]);
  });

  test('the first page of an unfiltered list names its limit, so its statement has no parameters', async () => {
    const pageOf = async (query: Knex.QueryBuilder, page: number) => {
      statements.length = 0;
      await paged(query, list(page, 3), { name: 'name' }, (r: ItemRow) => r);
      return statements[0];
    };

    expect(await pageOf(db(table).select('id', 'name'), 1)).toMatch(/ limit 3$/);
    expect(await pageOf(db(table).select('id', 'name'), 2)).toMatch(/ limit \$1 offset \$2$/);
    expect(await pageOf(db(table).select('id', 'name').where({ colour: 'red' }), 1)).toMatch(/ limit \$3$/);
  });

  test('counts the rows of `count` when given, still in one statement', async () => {
    statements.length = 0;
    // The page joins a table the filter does not need: the total is counted without it.
    const shown = db(`${table} as i`)
      .join(`${table} as twin`, 'twin.id', 'i.id')
      .select('i.*', 'twin.colour as twin_colour');
    const page = await paged(shown.where('i.colour', 'red'), list(1, 2), { name: 'i.name' }, (r: ItemRow) => r, {
      tieBreaker: 'i.id',
      count: db(`${table} as i`).where('i.colour', 'red'),
    });

    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/over \(\)/);
    expect(page.total).toBe(3);
    expect(names(page.items)).toEqual(['item 2', 'item 4']);
  });
});
