import type { Knex } from 'knex';
import type { StockReservation } from '../../domain/stock';
import type { ReservationRepository } from '../../application/ports';
import { openReservationsOf } from './stock.repository';

interface ReservationRow {
  sale_id: string;
  status: StockReservation['status'];
  created_at: Date;
  updated_at: Date;
}

interface ReservationLineRow {
  sale_id: string;
  line_no: number;
  product_id: string;
  unit_level_id: string;
  quantity: string;
  base_quantity: string;
}

export function reservationRepository(trx: Knex.Transaction): ReservationRepository {
  return {
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same sale to commit, then
    // reports it: exactly one transaction acts on a sale.
    insertIfAbsent: async (r) => {
      const inserted = await trx('stock_reservations')
        .insert({ sale_id: r.saleId, status: r.status, created_at: r.createdAt, updated_at: r.updatedAt })
        .onConflict('sale_id')
        .ignore()
        .returning('sale_id');
      if (inserted.length === 0) return false;
      if (r.lines.length > 0) {
        await trx('stock_reservation_lines').insert(
          r.lines.map((line, index) => ({
            sale_id: r.saleId,
            line_no: index + 1,
            product_id: line.productId,
            unit_level_id: line.unitLevelId,
            quantity: line.quantity,
            base_quantity: line.baseQuantity,
          })),
        );
      }
      return true;
    },
    getForUpdate: async (saleId) => {
      const row = await trx<ReservationRow>('stock_reservations').where({ sale_id: saleId }).forUpdate().first();
      if (!row) return undefined;
      const lines: ReservationLineRow[] = await trx('stock_reservation_lines')
        .where({ sale_id: saleId })
        .orderBy('line_no');
      return {
        saleId,
        status: row.status,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        lines: lines.map((l) => ({
          productId: l.product_id,
          unitLevelId: l.unit_level_id,
          quantity: Number(l.quantity),
          baseQuantity: Number(l.base_quantity),
        })),
      };
    },
    setStatus: async (saleId, status, at) => {
      await trx('stock_reservations').where({ sale_id: saleId }).update({ status, updated_at: at });
    },
    hasOpenLines: async (productId) => (await openReservationsOf(trx, productId).first('l.sale_id')) !== undefined,
  };
}
