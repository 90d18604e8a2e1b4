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

export function stockRepository(trx: Knex.Transaction): StockRepository {
  return {
    create: async (productId) => {
      await trx('product_stock').insert({ product_id: productId, quantity: 0, updated_at: new Date() });
    },
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
      await trx('product_stock')
        .where({ product_id: level.productId })
        .update({ quantity: level.quantity, updated_at: movement.occurredAt });
      await trx('stock_movements').insert({
        product_id: movement.productId,
        delta: movement.delta,
        balance_after: movement.balanceAfter,
        reason: movement.reason,
        reference: movement.reference,
        note: movement.note,
        occurred_at: movement.occurredAt,
      });
    },
    reservedOf: async (productId) => {
      const row = await openReservationsOf(trx, productId).sum({ total: 'l.base_quantity' }).first();
      return Number((row as { total: string | null } | undefined)?.total ?? 0);
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
