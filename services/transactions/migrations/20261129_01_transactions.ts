// Transactions' database: the catalogue read model, sales with lines and returns, purchases with
// lines, Idempotency-Keys, and the event backbone's outbox and inbox with the token revocations.
import type { Knex } from 'knex';
import { createRevocationTable, dropRevocationTable } from '@tulity/adapters/auth/revocation';
import { createBackboneTables, dropBackboneTables } from '@tulity/adapters/events/tables';

export async function up(knex: Knex): Promise<void> {
  await createBackboneTables(knex);
  await createRevocationTable(knex);

  await knex.schema.createTable('catalogue_products', (t) => {
    t.uuid('id').primary();
    t.text('sku').notNullable();
    t.text('name').notNullable();
    t.boolean('active').notNullable();
    t.boolean('deleted').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('catalogue_unit_levels', (t) => {
    t.uuid('id').primary();
    t.uuid('product_id').notNullable().references('catalogue_products.id').onDelete('CASCADE').index();
    t.text('unit_name').notNullable();
    t.bigInteger('conversion_factor').notNullable();
  });
  // Prices live apart from the levels: a ProductUpdated that re-lists a level keeps its prices.
  await knex.schema.createTable('catalogue_prices', (t) => {
    t.uuid('unit_level_id').primary();
    t.uuid('product_id').notNullable().index();
    t.text('currency').notNullable();
    t.bigInteger('sell_price_minor').notNullable();
    t.bigInteger('buy_price_minor');
  });

  await knex.schema.createTable('sales', (t) => {
    t.uuid('id').primary();
    t.uuid('cashier_id').notNullable();
    t.text('status').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('total_minor').notNullable();
    t.bigInteger('discount_minor').notNullable();
    t.bigInteger('refunded_minor').notNullable().defaultTo(0);
    t.text('note');
    t.text('payment_method');
    t.bigInteger('amount_tendered_minor');
    t.bigInteger('change_minor');
    t.text('rejection_reason');
    t.jsonb('shortages');
    t.text('cancelled_by');
    t.text('cancel_reason');
    t.timestamp('deadline_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['cashier_id', 'created_at']);
    t.index(['created_at']);
  });
  await knex.raw(
    `alter table sales add constraint sales_status check (status in ('pending', 'confirmed', 'rejected', 'cancelled'))`,
  );
  // The deadline job looks for pending sales only: a partial index keeps that cheap.
  await knex.raw(`create index sales_pending_deadline on sales (deadline_at) where status = 'pending'`);
  await knex.schema.createTable('sale_lines', (t) => {
    t.uuid('id').primary();
    t.uuid('sale_id').notNullable().references('sales.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.uuid('product_id').notNullable().index();
    t.uuid('unit_level_id').notNullable();
    t.text('sku').notNullable();
    t.text('product_name').notNullable();
    t.text('unit_name').notNullable();
    t.bigInteger('quantity').notNullable();
    t.bigInteger('conversion_factor').notNullable();
    t.bigInteger('base_quantity').notNullable();
    t.bigInteger('unit_price_minor').notNullable();
    t.bigInteger('gross_minor').notNullable();
    t.bigInteger('discount_minor').notNullable();
    t.bigInteger('line_total_minor').notNullable();
    t.bigInteger('returned_quantity').notNullable().defaultTo(0);
    t.bigInteger('refunded_minor').notNullable().defaultTo(0);
    t.unique(['sale_id', 'position']);
  });
  await knex.raw(
    `alter table sale_lines add constraint sale_lines_returned check (returned_quantity between 0 and quantity)`,
  );
  await knex.schema.createTable('sale_returns', (t) => {
    t.uuid('id').primary();
    t.uuid('sale_id').notNullable().references('sales.id').onDelete('CASCADE').index();
    t.uuid('returned_by').notNullable();
    t.text('reason');
    t.bigInteger('refund_minor').notNullable();
    t.jsonb('lines').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('purchases', (t) => {
    t.uuid('id').primary();
    t.uuid('recorded_by').notNullable();
    t.text('supplier_name').notNullable();
    t.text('supplier_reference');
    t.text('currency').notNullable();
    t.bigInteger('total_minor').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().index();
  });
  await knex.schema.createTable('purchase_lines', (t) => {
    t.uuid('id').primary();
    t.uuid('purchase_id').notNullable().references('purchases.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.uuid('product_id').notNullable().index();
    t.uuid('unit_level_id').notNullable();
    t.text('sku').notNullable();
    t.text('product_name').notNullable();
    t.text('unit_name').notNullable();
    t.bigInteger('quantity').notNullable();
    t.bigInteger('conversion_factor').notNullable();
    t.bigInteger('base_quantity').notNullable();
    t.bigInteger('unit_cost_minor').notNullable();
    t.bigInteger('line_total_minor').notNullable();
    t.unique(['purchase_id', 'position']);
  });

  // One row per (user, key): the primary key is what makes a concurrent duplicate wait and replay.
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.uuid('user_id').notNullable();
    t.text('key').notNullable();
    t.text('fingerprint').notNullable();
    t.integer('status');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().index();
    t.primary(['user_id', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'purchase_lines',
    'purchases',
    'sale_returns',
    'sale_lines',
    'sales',
    'catalogue_prices',
    'catalogue_unit_levels',
    'catalogue_products',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await dropRevocationTable(knex);
  await dropBackboneTables(knex);
}
