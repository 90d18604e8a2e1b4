import type { Knex } from 'knex';

// Plain SQL: the constraints carry the invariants (names are matched by the repositories to
// turn violations into domain errors), and they hold against concurrent writers.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table categories (
      id uuid primary key,
      name text not null,
      description text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create unique index categories_name_unique on categories (lower(name));

    create table units (
      id uuid primary key,
      name text not null,
      abbreviation text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create unique index units_name_unique on units (lower(name));

    -- RESTRICT: a category or unit still in use cannot be deleted, decided by the database.
    create table products (
      id uuid primary key,
      sku text not null constraint products_sku_unique unique,
      barcode text constraint products_barcode_unique unique,
      name text not null,
      description text,
      category_id uuid not null constraint products_category_fk references categories (id) on delete restrict,
      base_unit_id uuid not null constraint products_base_unit_fk references units (id) on delete restrict,
      low_stock_threshold bigint not null check (low_stock_threshold >= 0),
      active boolean not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index products_category_idx on products (category_id);
    create index products_base_unit_idx on products (base_unit_id);

    create table product_unit_levels (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      unit_id uuid not null constraint unit_levels_unit_fk references units (id) on delete restrict,
      factor bigint not null check (factor >= 1),
      is_base boolean not null,
      created_at timestamptz not null,
      constraint unit_levels_product_unit_unique unique (product_id, unit_id)
    );
    create index unit_levels_unit_idx on product_unit_levels (unit_id);

    -- NO ACTION (checked at the end of the statement) rather than RESTRICT: deleting a product
    -- cascades to both its levels and its prices in one statement.
    create table product_unit_prices (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      unit_level_id uuid not null constraint prices_unit_level_fk references product_unit_levels (id),
      sell_price bigint not null check (sell_price >= 0),
      buy_price bigint not null check (buy_price >= 0),
      currency char(3) not null,
      effective_from timestamptz not null,
      created_at timestamptz not null
    );
    create index prices_level_effective_idx on product_unit_prices (unit_level_id, effective_from desc, created_at desc);
    create index prices_product_idx on product_unit_prices (product_id);

    -- The stock row is what reservations lock; the check is the last line against overselling.
    create table product_stock (
      product_id uuid primary key references products (id) on delete cascade,
      quantity bigint not null check (quantity >= 0),
      updated_at timestamptz not null
    );

    create table stock_movements (
      id bigserial primary key,
      product_id uuid not null references products (id) on delete cascade,
      delta bigint not null check (delta <> 0),
      balance_after bigint not null check (balance_after >= 0),
      reason text not null check (reason in ('purchase', 'sale_reservation', 'reservation_release', 'manual_adjustment')),
      reference text,
      note text,
      occurred_at timestamptz not null
    );
    create index stock_movements_product_idx on stock_movements (product_id, id);

    -- One row per sale ever seen: its outcome, so a repeated request or release changes nothing.
    create table stock_reservations (
      sale_id text primary key,
      status text not null check (status in ('reserved', 'confirmed', 'rejected', 'released')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create table stock_reservation_lines (
      sale_id text not null references stock_reservations (sale_id) on delete cascade,
      line_no int not null,
      product_id uuid not null references products (id) on delete cascade,
      unit_level_id uuid not null,
      quantity bigint not null,
      base_quantity bigint not null,
      primary key (sale_id, line_no)
    );
    create index reservation_lines_product_idx on stock_reservation_lines (product_id);

    create table purchase_receipts (
      purchase_id text primary key,
      received_at timestamptz not null
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table purchase_receipts, stock_reservation_lines, stock_reservations, stock_movements,
      product_stock, product_unit_prices, product_unit_levels, products, units, categories;
  `);
}
