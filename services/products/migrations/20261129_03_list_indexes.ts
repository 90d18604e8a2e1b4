import type { Knex } from 'knex';

// Lists are read a page at a time in these orders (the primary key breaks ties): an index per
// order lets Postgres read the page's rows alone instead of sorting every product. A search
// matches any part of a name, SKU or barcode (`ilike '%…%'`), which only a trigram index can
// serve; without one, each search read the whole catalogue. The trigram indexes take each new
// product at once (fastupdate off): by default they gather new entries in a list that every
// search reads through until vacuum merges it, and 4,000 new products made a search take 58 ms
// instead of 1.5.
const indexes = [
  ['products_name_order_idx', 'products (name, id)'],
  ['products_created_order_idx', 'products (created_at, id)'],
  ['products_updated_order_idx', 'products (updated_at, id)'],
  ['categories_name_order_idx', 'categories (name, id)'],
  ['units_name_order_idx', 'units (name, id)'],
  ['products_name_search_idx', 'products using gin (name gin_trgm_ops) with (fastupdate = off)'],
  ['products_sku_search_idx', 'products using gin (sku gin_trgm_ops) with (fastupdate = off)'],
  ['products_barcode_search_idx', 'products using gin (barcode gin_trgm_ops) with (fastupdate = off)'],
] as const;

export async function up(knex: Knex): Promise<void> {
  // A trusted extension: the database's owner may create it.
  await knex.raw('create extension if not exists pg_trgm');
  for (const [name, on] of indexes) await knex.raw(`create index ${name} on ${on}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of indexes) await knex.raw(`drop index if exists ${name}`);
}
