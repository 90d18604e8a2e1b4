import type { Knex } from 'knex';

// Goods of a confirmed sale that came back: one row per return (so a redelivered return changes
// nothing) with its lines in base units (so returns never give back more than the sale took),
// and the ledger reason their movements carry.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table stock_movements drop constraint stock_movements_reason_check,
      add constraint stock_movements_reason_check
        check (reason in ('purchase', 'sale_reservation', 'reservation_release', 'sale_return', 'manual_adjustment'));

    create table sale_returns (
      return_id text primary key,
      sale_id text not null references stock_reservations (sale_id) on delete cascade,
      returned_at timestamptz not null
    );
    create index sale_returns_sale_idx on sale_returns (sale_id);
    create table sale_return_lines (
      return_id text not null references sale_returns (return_id) on delete cascade,
      line_no int not null,
      product_id uuid not null references products (id) on delete cascade,
      unit_level_id uuid not null,
      quantity bigint not null,
      base_quantity bigint not null,
      primary key (return_id, line_no)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table sale_return_lines, sale_returns;
    -- The ledger keeps its return movements: the old check holds for new rows only.
    alter table stock_movements drop constraint stock_movements_reason_check,
      add constraint stock_movements_reason_check
        check (reason in ('purchase', 'sale_reservation', 'reservation_release', 'manual_adjustment')) not valid;
  `);
}
