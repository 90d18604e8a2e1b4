import type { Knex } from 'knex';
import type { SaleReturn, StockReservation } from '../../domain/stock';
import type { ReservationRepository, SaleReturns } from '../../application/ports';

/** A reservation with one of its lines; the line's columns are null for a reservation without lines. */
interface ReservationLineRow {
  status: StockReservation['status'];
  created_at: Date;
  updated_at: Date;
  product_id: string | null;
  unit_level_id: string | null;
  /** bigints, as text */
  quantity: string | null;
  base_quantity: string | null;
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
    // The reservation locked and its lines in one round trip: every settling event starts here.
    getForUpdate: async (saleId) => {
      const { rows } = await trx.raw<{ rows: ReservationLineRow[] }>(
        `select r.status, r.created_at, r.updated_at,
                l.product_id, l.unit_level_id, l.quantity, l.base_quantity
           from stock_reservations r left join stock_reservation_lines l on l.sale_id = r.sale_id
          where r.sale_id = ?
          order by l.line_no
            for update of r`,
        [saleId],
      );
      const first = rows[0];
      if (!first) return undefined;
      return {
        saleId,
        status: first.status,
        createdAt: first.created_at,
        updatedAt: first.updated_at,
        lines: rows
          .filter((l) => l.product_id !== null)
          .map((l) => ({
            productId: l.product_id!,
            unitLevelId: l.unit_level_id!,
            quantity: Number(l.quantity),
            baseQuantity: Number(l.base_quantity),
          })),
      };
    },
    setStatus: async (saleId, status, at) => {
      await trx('stock_reservations').where({ sale_id: saleId }).update({ status, updated_at: at });
    },
  };
}

interface SaleReturnLineRow {
  return_id: string;
  product_id: string;
  unit_level_id: string;
  quantity: string;
  base_quantity: string;
}

export function saleReturns(trx: Knex.Transaction): SaleReturns {
  return {
    of: async (saleId) => {
      const rows: SaleReturnLineRow[] = await trx('sale_return_lines as l')
        .join('sale_returns as r', 'r.return_id', 'l.return_id')
        .where('r.sale_id', saleId)
        .orderBy(['l.return_id', 'l.line_no'])
        .select('l.return_id', 'l.product_id', 'l.unit_level_id', 'l.quantity', 'l.base_quantity');
      const byId = new Map<string, SaleReturn>();
      for (const row of rows) {
        const found = byId.get(row.return_id) ?? { returnId: row.return_id, saleId, lines: [] };
        found.lines.push({
          productId: row.product_id,
          unitLevelId: row.unit_level_id,
          quantity: Number(row.quantity),
          baseQuantity: Number(row.base_quantity),
        });
        byId.set(row.return_id, found);
      }
      return [...byId.values()];
    },
    record: async (r, at) => {
      const inserted = await trx('sale_returns')
        .insert({ return_id: r.returnId, sale_id: r.saleId, returned_at: at })
        .onConflict('return_id')
        .ignore()
        .returning('return_id');
      if (inserted.length === 0) return false;
      await trx('sale_return_lines').insert(
        r.lines.map((line, index) => ({
          return_id: r.returnId,
          line_no: index + 1,
          product_id: line.productId,
          unit_level_id: line.unitLevelId,
          quantity: line.quantity,
          base_quantity: line.baseQuantity,
        })),
      );
      return true;
    },
  };
}
