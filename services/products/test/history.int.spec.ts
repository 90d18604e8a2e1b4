// Reads against the real Postgres as the shop's history grows, with vacuum kept away as when
// autovacuum is off or behind: a search must stay cheap after thousands of new products, and the
// stock that open reservations hold is counted from the open ones, not from every sale ever made.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import * as reservedStock from '../migrations/20261129_05_reserved_stock';
import { emptyTables, productsDatabase } from './harness';

let db: Knex;
const added = 3000;
let productId: string;

/** Buffers (8 KiB pages) a statement reads, from Postgres's own count. */
async function pagesRead(sql: string, bindings: readonly unknown[] = []): Promise<{ pages: number; plan: string }> {
  const result = await db.raw(`explain (analyze, buffers, format json) ${sql}`, bindings as Knex.RawBinding[]);
  const plan = result.rows[0]['QUERY PLAN'][0].Plan;
  return { pages: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'], plan: JSON.stringify(plan) };
}

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
  // 5,000 settled sales of one product, and one still open.
  productId = (await db('products').first('id')).id;
  await db.raw(
    `insert into stock_reservations (sale_id, status, created_at, updated_at)
     select 'sale-' || n, case when n = 1 then 'reserved' else 'confirmed' end, now(), now()
       from generate_series(1, 5000) n`,
  );
  await db.raw(
    `insert into stock_reservation_lines (sale_id, line_no, product_id, unit_level_id, quantity, base_quantity)
     select 'sale-' || n, 1, ?, gen_random_uuid(), 2, 2 from generate_series(1, 5000) n`,
    [productId],
  );
  await db.raw('analyze stock_reservations; analyze stock_reservation_lines');
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
  const { pages, plan } = await pagesRead(search);
  expect(plan).toContain('products_name_search_idx');
  expect(pages).toBeLessThan(40);
});

test('the reserved units kept on a stock row start from the one open sale, not the 5,000 settled', async () => {
  await db('product_stock').insert({ product_id: productId, quantity: 10, updated_at: new Date() });
  await reservedStock.down(db);
  await reservedStock.up(db);
  expect(await db('product_stock').where({ product_id: productId }).first('quantity', 'reserved')).toEqual({
    quantity: '10',
    reserved: '2',
  });
});
