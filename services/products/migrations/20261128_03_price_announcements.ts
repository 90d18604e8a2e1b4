import type { Knex } from 'knex';

// A scheduled price is announced (PriceChanged) when it takes effect; this marks which were.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table product_unit_prices add column announced_at timestamptz;
    update product_unit_prices set announced_at = created_at where effective_from <= now();
    create index prices_unannounced_idx on product_unit_prices (effective_from) where announced_at is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table product_unit_prices drop column announced_at');
}
