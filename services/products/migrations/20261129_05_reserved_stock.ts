import type { Knex } from 'knex';

// What open reservations hold of a product is kept on its stock row, changed under the same row
// lock as the quantity, instead of summed over the reservation lines at every read: that sum grew
// with the open sales (35–43 ms over 2,000 of them) and was written out in four places.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table product_stock add column reserved bigint not null default 0 check (reserved >= 0);
    update product_stock s set reserved = held.total
      from (select l.product_id, sum(l.base_quantity) as total
              from stock_reservation_lines l join stock_reservations r on r.sale_id = l.sale_id
             where r.status = 'reserved'
             group by l.product_id) held
     where held.product_id = s.product_id;
    drop index if exists stock_reservations_open_idx;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create index stock_reservations_open_idx on stock_reservations (sale_id) where status = 'reserved';
    alter table product_stock drop column reserved;
  `);
}
