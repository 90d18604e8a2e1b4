import type { Knex } from 'knex';

// A scheduled price whose announcement failed is set aside with the reason, so the announcer
// moves on to the prices behind it and retries this one later.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table product_unit_prices add column announcement_error text, add column announcement_failed_at timestamptz;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table product_unit_prices drop column announcement_error, drop column announcement_failed_at');
}
