import type { Knex } from 'knex';
import type { StockLevel } from '../../domain/stock';
import type { PurchaseReceipts, StockRepository } from '../../application/ports';

interface LockedStockRow {
  product_id: string;
  sku: string;
  name: string;
  /** bigint, as text */
  quantity: string;
  low_stock_threshold: string;
  active: boolean;
}

/** Base units held by reservations not yet confirmed, released or rejected. */
export const openReservationsOf = (db: Knex | Knex.Transaction, productId: string) =>
  db('stock_reservation_lines as l')
    .join('stock_reservations as r', 'r.sale_id', 'l.sale_id')
    .where({ 'l.product_id': productId, 'r.status': 'reserved' });

// The new quantity, its ledger row and the open reservations' total in one statement: one round
// trip where three ran. The total reads the transaction's earlier changes (a reservation made just
// before), as every statement of a transaction does.
const applyMovementSql = `
  with stock as (
    update product_stock set quantity = ?, updated_at = ? where product_id = ?
  ), movement as (
    insert into stock_movements (product_id, delta, balance_after, reason, reference, note, occurred_at)
    values (?, ?, ?, ?, ?, ?, ?)
  )
  select coalesce(sum(l.base_quantity), 0) as reserved
    from stock_reservation_lines l join stock_reservations r on r.sale_id = l.sale_id
   where l.product_id = ? and r.status = 'reserved'`;

export function stockRepository(trx: Knex.Transaction): StockRepository {
  return {
    // Sorted ids and FOR UPDATE: every transaction that touches several products locks them in
    // the same order, so two sales over the same products queue instead of deadlocking.
    lock: async (productIds) => {
      const wanted = [...new Set(productIds)].sort();
      if (wanted.length === 0) return new Map();
      const { rows } = await trx.raw<{ rows: LockedStockRow[] }>(
        `select s.product_id, p.sku, p.name, s.quantity, p.low_stock_threshold, p.active
           from product_stock s join products p on p.id = s.product_id
          where s.product_id = any(?::uuid[])
          order by s.product_id
            for update of s`,
        [wanted],
      );
      return new Map<string, StockLevel>(
        rows.map((r) => [
          r.product_id,
          {
            productId: r.product_id,
            sku: r.sku,
            name: r.name,
            quantity: Number(r.quantity),
            lowStockThreshold: Number(r.low_stock_threshold),
            active: r.active,
          },
        ]),
      );
    },
    apply: async ({ level, movement }) => {
      const { rows } = await trx.raw<{ rows: Array<{ reserved: string }> }>(applyMovementSql, [
        level.quantity,
        movement.occurredAt,
        level.productId,
        movement.productId,
        movement.delta,
        movement.balanceAfter,
        movement.reason,
        movement.reference,
        movement.note,
        movement.occurredAt,
        level.productId,
      ]);
      return { reserved: Number(rows[0]!.reserved) };
    },
  };
}

export function purchaseReceipts(trx: Knex.Transaction): PurchaseReceipts {
  return {
    claim: async (purchaseId, at) => {
      const inserted = await trx('purchase_receipts')
        .insert({ purchase_id: purchaseId, received_at: at })
        .onConflict('purchase_id')
        .ignore()
        .returning('purchase_id');
      return inserted.length > 0;
    },
  };
}
