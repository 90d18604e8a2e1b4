// Reads of stock and its ledger: one statement each, outside any transaction.
import type { Knex } from 'knex';
import { paged } from '@tulity/adapters/postgres/paging';
import type { MovementView, Reads } from '../../application/ports';
import type { MovementReason } from '../../domain/stock';

interface StockRow {
  /** bigints, as text */
  quantity: string;
  low_stock_threshold: string;
  reserved: string;
  updated_at: Date;
}

interface MovementRow {
  id: string;
  product_id: string;
  delta: string;
  balance_after: string;
  reason: MovementReason;
  reference: string | null;
  note: string | null;
  occurred_at: Date;
}

const toMovement = (r: MovementRow): MovementView => ({
  id: Number(r.id),
  productId: r.product_id,
  delta: Number(r.delta),
  balanceAfter: Number(r.balance_after),
  reason: r.reason,
  reference: r.reference,
  note: r.note,
  occurredAt: r.occurred_at,
});

export function stockQueries(db: Knex): Pick<Reads, 'stock'> {
  return {
    stock: {
      get: async (productId) => {
        const row: StockRow | undefined = await db('product_stock as s')
          .join('products as p', 'p.id', 's.product_id')
          .where('s.product_id', productId)
          .first('s.quantity', 's.reserved', 's.updated_at', 'p.low_stock_threshold');
        if (!row) return undefined;
        return {
          productId,
          quantity: Number(row.quantity),
          reserved: Number(row.reserved),
          lowStockThreshold: Number(row.low_stock_threshold),
          updatedAt: row.updated_at,
        };
      },
      movements: (productId, query) => {
        const rows = db('stock_movements').select('*').where({ product_id: productId });
        if (query.reason !== undefined) rows.where({ reason: query.reason });
        return paged(rows, query, { id: 'id', occurredAt: 'occurred_at' }, toMovement);
      },
    },
  };
}
