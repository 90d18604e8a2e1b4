import type { Knex } from 'knex';
import type { StockLevel } from '../../domain/stock';
import type { PurchaseReceipts, StockRepository } from '../../application/ports';

interface LockedStockRow {
  product_id: string;
  sku: string;
  name: string;
  /** bigint, as text */
  quantity: string;
  reserved: string;
  low_stock_threshold: string;
  active: boolean;
}

// The new quantity and reserved units with their ledger row: one round trip.
const applyMovementSql = `
  with movement as (
    insert into stock_movements (product_id, delta, balance_after, reason, reference, note, occurred_at)
    values (?, ?, ?, ?, ?, ?, ?)
  )
  update product_stock set quantity = ?, reserved = ?, updated_at = ? where product_id = ?`;

export function stockRepository(trx: Knex.Transaction): StockRepository {
  return {
    // Sorted ids and FOR UPDATE: every transaction that touches several products locks them in
    // the same order, so two sales over the same products queue instead of deadlocking.
    lock: async (productIds) => {
      const wanted = [...new Set(productIds)].sort();
      if (wanted.length === 0) return new Map();
      const { rows } = await trx.raw<{ rows: LockedStockRow[] }>(
        `select s.product_id, p.sku, p.name, s.quantity, s.reserved, p.low_stock_threshold, p.active
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
            reserved: Number(r.reserved),
            lowStockThreshold: Number(r.low_stock_threshold),
            active: r.active,
          },
        ]),
      );
    },
    apply: async ({ level, movement }) => {
      await trx.raw(applyMovementSql, [
        movement.productId,
        movement.delta,
        movement.balanceAfter,
        movement.reason,
        movement.reference,
        movement.note,
        movement.occurredAt,
        level.quantity,
        level.reserved,
        movement.occurredAt,
        level.productId,
      ]);
    },
    saveReserved: async (level) => {
      await trx('product_stock').where({ product_id: level.productId }).update({ reserved: level.reserved });
    },
  };
}

/**
 * Locks the stock rows of these products and of the products these sales reserved, in the order
 * `lock` uses. A consumer's run takes them all before its first event (see LockFirst), so runs of
 * different partitions queue behind each other instead of deadlocking.
 */
export async function lockStockAhead(
  trx: Knex.Transaction,
  named: { productIds: readonly string[]; saleIds: readonly string[] },
): Promise<void> {
  if (named.productIds.length === 0 && named.saleIds.length === 0) return;
  await trx.raw(
    `select 1 from product_stock
      where product_id in (select unnest(?::uuid[])
                           union select product_id from stock_reservation_lines where sale_id = any(?::text[]))
      order by product_id
        for update`,
    [[...named.productIds], [...named.saleIds]],
  );
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
