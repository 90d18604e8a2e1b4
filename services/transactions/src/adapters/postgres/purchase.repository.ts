import type { Knex } from 'knex';
import { containing, paged } from '@tulity/adapters/postgres/paging';
import type { PurchaseReads, PurchaseRepository, PurchaseSortKey } from '../../application/ports';
import type { Purchase, PurchaseLine } from '../../domain/purchase';
import type { WriteBatch } from './write-batch';

type Big = string | number;

interface PurchaseRow {
  id: string;
  recorded_by: string;
  supplier_name: string;
  supplier_reference: string | null;
  currency: string;
  total_minor: Big;
  created_at: Date;
}

interface PurchaseLineRow {
  id: string;
  purchase_id: string;
  position: number;
  product_id: string;
  unit_level_id: string;
  sku: string;
  product_name: string;
  unit_name: string;
  quantity: Big;
  conversion_factor: Big;
  base_quantity: Big;
  unit_cost_minor: Big;
  line_total_minor: Big;
}

const toLine = (row: PurchaseLineRow): PurchaseLine => ({
  id: row.id,
  productId: row.product_id,
  unitLevelId: row.unit_level_id,
  sku: row.sku,
  productName: row.product_name,
  unitName: row.unit_name,
  quantity: Number(row.quantity),
  conversionFactor: Number(row.conversion_factor),
  baseQuantity: Number(row.base_quantity),
  unitCostMinor: Number(row.unit_cost_minor),
  lineTotalMinor: Number(row.line_total_minor),
});

async function withLines(db: Knex, rows: PurchaseRow[]): Promise<Purchase[]> {
  if (rows.length === 0) return [];
  const lines = await db<PurchaseLineRow>('purchase_lines')
    .whereIn(
      'purchase_id',
      rows.map((row) => row.id),
    )
    .orderBy('position');
  return rows.map((row) => ({
    id: row.id,
    recordedBy: row.recorded_by,
    supplierName: row.supplier_name,
    supplierReference: row.supplier_reference,
    currency: row.currency,
    totalMinor: Number(row.total_minor),
    createdAt: row.created_at,
    lines: lines.filter((line) => line.purchase_id === row.id).map(toLine),
  }));
}

const sortColumns: Record<PurchaseSortKey, string> = {
  createdAt: 'created_at',
  totalMinor: 'total_minor',
  supplierName: 'supplier_name',
};

/** The purchase's row and all its lines: queued, so they travel in the batch's one statement. */
export function purchaseRepository(batch: WriteBatch): PurchaseRepository {
  return {
    async insert(purchase) {
      batch.queue((trx) => [
        trx('purchases').insert({
          id: purchase.id,
          recorded_by: purchase.recordedBy,
          supplier_name: purchase.supplierName,
          supplier_reference: purchase.supplierReference,
          currency: purchase.currency,
          total_minor: purchase.totalMinor,
          created_at: purchase.createdAt,
        }),
        trx('purchase_lines').insert(
          purchase.lines.map((line, position) => ({
            id: line.id,
            purchase_id: purchase.id,
            position,
            product_id: line.productId,
            unit_level_id: line.unitLevelId,
            sku: line.sku,
            product_name: line.productName,
            unit_name: line.unitName,
            quantity: line.quantity,
            conversion_factor: line.conversionFactor,
            base_quantity: line.baseQuantity,
            unit_cost_minor: line.unitCostMinor,
            line_total_minor: line.lineTotalMinor,
          })),
        ),
      ]);
    },
  };
}

export function purchaseReads(db: Knex): PurchaseReads {
  return {
    async get(id) {
      const row = await db<PurchaseRow>('purchases').where({ id }).first();
      return row ? (await withLines(db, [row]))[0] : undefined;
    },
    async list(query) {
      const base = db<PurchaseRow>('purchases').select('purchases.*');
      if (query.from) base.where('created_at', '>=', query.from);
      if (query.to) base.where('created_at', '<', query.to);
      if (query.productId) {
        base.whereExists(
          db('purchase_lines')
            .whereRaw('purchase_lines.purchase_id = purchases.id')
            .where('product_id', query.productId),
        );
      }
      if (query.q)
        base.where((where) =>
          where
            .whereILike('supplier_name', containing(query.q!))
            .orWhereILike('supplier_reference', containing(query.q!)),
        );
      const page = await paged(base, query, sortColumns, (row: PurchaseRow) => row);
      return { ...page, items: await withLines(db, page.items) };
    },
  };
}
