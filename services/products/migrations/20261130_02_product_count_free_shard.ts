import type { Knex } from 'knex';

// A change to the product count goes to a shard no other open transaction holds. With the
// backend's pid modulo the shards (20261130_01), two of a pool's connections came to share a shard
// once the pool had replaced a few of them, and one's new product then waited for the other's
// commit: sampling pg_stat_activity under the bench's load of new products found their insert
// waiting on that lock in 45-58 % of the samples. The walk starts at the pid's own shard, so a
// backend mostly keeps to one row. Only when every shard is held does it wait, on its own shard.
const shards = 32;

const everyShard = `
    insert into product_count_shards (shard, products)
      select shard, 0 from generate_series(0, ${shards - 1}) shard
      on conflict (shard) do nothing;`;

// What the statement the trigger fires for added to the count, or took from it.
const statementDelta = `
      if tg_op = 'INSERT' then
        select count(*) into delta from added;
      else
        select -count(*) into delta from removed;
      end if;`;

// Its own shard when free (a lookup by key, as before), else the first free one after it.
const freeShard = `
      select shard into free from product_count_shards where shard = pg_backend_pid() % ${shards}
        for update skip locked;
      if not found then
        select shard into free from product_count_shards
          order by (shard - pg_backend_pid() % ${shards} + ${shards}) % ${shards}
          for update skip locked limit 1;
      end if;`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ${everyShard}

    create or replace function product_count_add() returns trigger language plpgsql as $$
    declare
      delta bigint;
      free smallint;
    begin
      ${statementDelta}
      if delta = 0 then
        return null;
      end if;
      ${freeShard}
      if free is null then
        -- No row is free, or there are none: a TRUNCATE of the shards themselves (the tests') took them.
        ${everyShard}
        ${freeShard}
      end if;
      if free is not null then
        update product_count_shards set products = products + delta where shard = free;
      else
        insert into product_count_shards as s (shard, products) values (pg_backend_pid() % ${shards}, delta)
          on conflict (shard) do update set products = s.products + excluded.products;
      end if;
      return null;
    end $$;

    -- A TRUNCATE of the products keeps the rows a free shard is found among.
    create or replace function product_count_clear() returns trigger language plpgsql as $$
    begin
      update product_count_shards set products = 0;
      return null;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function product_count_add() returns trigger language plpgsql as $$
    declare
      delta bigint;
    begin
      ${statementDelta}
      if delta <> 0 then
        insert into product_count_shards as s (shard, products) values (pg_backend_pid() % ${shards}, delta)
          on conflict (shard) do update set products = s.products + excluded.products;
      end if;
      return null;
    end $$;

    create or replace function product_count_clear() returns trigger language plpgsql as $$
    begin
      delete from product_count_shards;
      return null;
    end $$;
  `);
}
