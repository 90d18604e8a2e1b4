// Product search against the real Postgres, with vacuum kept away as when autovacuum is off or
// behind: a search must stay cheap after thousands of new products, not read through all of them.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import { emptyTables, productsDatabase } from './harness';

let db: Knex;
const added = 3000;

beforeAll(async () => {
  db = await productsDatabase();
  await emptyTables(db);
  await db.raw('alter table products set (autovacuum_enabled = false)');
  const categoryId = randomUUID();
  const unitId = randomUUID();
  const now = new Date();
  await db('categories').insert({ id: categoryId, name: 'Drinks', created_at: now, updated_at: now });
  await db('units').insert({ id: unitId, name: 'piece', abbreviation: 'pc', created_at: now, updated_at: now });
  const insertProducts = (from: number, to: number) =>
    db.raw(
      `insert into products (id, sku, barcode, name, category_id, base_unit_id, low_stock_threshold, active, created_at, updated_at)
       select gen_random_uuid(), 'SKU-' || n, 'BC-' || n, 'Product ' || n || ' of the range', ?, ?, 0, true, now(), now()
         from generate_series(?::int, ?::int) n`,
      [categoryId, unitId, from, to],
    );
  // A catalogue Postgres has statistics for (so it plans with the indexes), then the new products.
  await insertProducts(1, 1000);
  await db.raw('analyze products');
  await insertProducts(1001, 1000 + added);
});
afterAll(async () => {
  await db.raw('alter table products reset (autovacuum_enabled)');
  await emptyTables(db);
  await db.destroy();
});

test('a search after 3,000 new products reads a few dozen pages, not every new entry', async () => {
  const search = `select count(*) from products p
                   where p.name ilike '%3718 of%' or p.sku ilike '%3718 of%' or p.barcode ilike '%3718 of%'`;
  expect((await db.raw(search)).rows[0].count).toBe('1');
  const plan = (await db.raw(`explain (analyze, buffers, format json) ${search}`)).rows[0]['QUERY PLAN'][0].Plan;
  expect(JSON.stringify(plan)).toContain('products_name_search_idx');
  expect(plan['Shared Hit Blocks'] + plan['Shared Read Blocks']).toBeLessThan(40);
});
