import type { Knex } from 'knex';
import { conflict, type ErrorCode } from '../../domain/errors';
import type { StockLevel, StockReservation } from '../../domain/stock';
import type { EventRecorder, PriceRows, Rows, Tx, UnitLevelRows, UnitOfWork } from '../../application/ports';
import {
  fromCategory, fromLevel, fromPrice, fromProduct, fromUnit, isUuid,
  toCategory, toLevel, toPrice, toProduct, toUnit,
} from './rows';

/** Constraint name → the domain error its violation means. */
const violations: Record<string, { code: ErrorCode; message: string; field?: string }> = {
  categories_name_unique: { code: 'CATEGORY.NAME_TAKEN', message: 'A category with this name exists.', field: 'name' },
  units_name_unique: { code: 'UNIT.NAME_TAKEN', message: 'A unit with this name exists.', field: 'name' },
  products_sku_unique: { code: 'PRODUCT.SKU_TAKEN', message: 'Another product has this SKU.', field: 'sku' },
  products_barcode_unique: { code: 'PRODUCT.BARCODE_TAKEN', message: 'Another product has this barcode.', field: 'barcode' },
  products_category_fk: { code: 'CATEGORY.IN_USE', message: 'Products still belong to this category.' },
  products_base_unit_fk: { code: 'UNIT.IN_USE', message: 'Products still count their stock in this unit.' },
  unit_levels_unit_fk: { code: 'UNIT.IN_USE', message: 'Unit levels of products still use this unit.' },
  unit_levels_product_unit_unique: { code: 'UNIT_LEVEL.UNIT_TAKEN', message: 'The product already has a level in this unit.', field: 'unitId' },
  prices_unit_level_fk: { code: 'UNIT_LEVEL.IN_USE', message: 'Prices still refer to this unit level; delete them first.' },
};

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    const known = constraint ? violations[constraint] : undefined;
    if (known && (code === '23505' || code === '23503')) throw conflict(known.code, known.message, known.field);
    throw error;
  }
}

function rows<T extends { id: string }>(trx: Knex.Transaction, table: string, to: (r: any) => T, from: (e: T) => object): Rows<T> {
  return {
    get: async (id) => {
      if (!isUuid(id)) return undefined;
      const row = await trx(table).where({ id }).first();
      return row ? to(row) : undefined;
    },
    insert: (entity) => mapped(trx(table).insert(from(entity))).then(() => undefined),
    update: (entity) => mapped(trx(table).where({ id: entity.id }).update(from(entity))).then(() => undefined),
    delete: (id) => mapped(trx(table).where({ id }).delete()).then(() => undefined),
  };
}

export function knexTx(trx: Knex.Transaction, events: (trx: Knex.Transaction) => EventRecorder): Tx {
  const levels: UnitLevelRows = {
    ...rows(trx, 'product_unit_levels', toLevel, fromLevel),
    findMany: async (ids) => {
      const wanted = [...new Set(ids)].filter(isUuid);
      const found = wanted.length ? await trx('product_unit_levels').whereIn('id', wanted) : [];
      return new Map(found.map((r) => [r.id as string, toLevel(r)]));
    },
  };
  const prices: PriceRows = {
    ...rows(trx, 'product_unit_prices', toPrice, fromPrice),
    currentFor: async (unitLevelId, now) => {
      const row = await trx('product_unit_prices')
        .where({ unit_level_id: unitLevelId })
        .where('effective_from', '<=', now)
        .orderBy([{ column: 'effective_from', order: 'desc' }, { column: 'created_at', order: 'desc' }])
        .first();
      return row ? toPrice(row) : undefined;
    },
    claimDue: async (now, limit) => {
      const due = await trx('product_unit_prices')
        .whereNull('announced_at')
        .where('effective_from', '<=', now)
        .orderBy('effective_from')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      return due.map(toPrice);
    },
    markAnnounced: async (id, at) => {
      await trx('product_unit_prices').where({ id }).update({ announced_at: at });
    },
  };
  return {
    categories: rows(trx, 'categories', toCategory, fromCategory),
    units: rows(trx, 'units', toUnit, fromUnit),
    products: rows(trx, 'products', toProduct, fromProduct),
    levels,
    prices,
    stock: {
      create: async (productId) => {
        await trx('product_stock').insert({ product_id: productId, quantity: 0, updated_at: new Date() });
      },
      // Sorted ids and FOR UPDATE: every transaction that touches several products locks them
      // in the same order, so two sales over the same products queue instead of deadlocking.
      lock: async (productIds) => {
        const wanted = [...new Set(productIds)].filter(isUuid).sort();
        if (wanted.length === 0) return new Map();
        const { rows: locked } = await trx.raw(
          `select s.product_id, s.quantity, p.low_stock_threshold, p.active
             from product_stock s join products p on p.id = s.product_id
            where s.product_id = any(?::uuid[])
            order by s.product_id
              for update of s`,
          [wanted],
        );
        return new Map<string, StockLevel>(locked.map((r: any) => [r.product_id, {
          productId: r.product_id, quantity: Number(r.quantity), lowStockThreshold: Number(r.low_stock_threshold), active: r.active,
        }]));
      },
      apply: async ({ level, movement }) => {
        await trx('product_stock').where({ product_id: level.productId }).update({ quantity: level.quantity, updated_at: movement.occurredAt });
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
    },
    reservations: {
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same sale to commit, then
      // reports it: exactly one transaction acts on a sale.
      insertIfAbsent: async (r: StockReservation) => {
        const inserted = await trx('stock_reservations')
          .insert({ sale_id: r.saleId, status: r.status, created_at: r.createdAt, updated_at: r.updatedAt })
          .onConflict('sale_id').ignore().returning('sale_id');
        if (inserted.length === 0) return false;
        if (r.lines.length > 0) {
          await trx('stock_reservation_lines').insert(r.lines.map((line, index) => ({
            sale_id: r.saleId, line_no: index + 1, product_id: line.productId, unit_level_id: line.unitLevelId,
            quantity: line.quantity, base_quantity: line.baseQuantity,
          })));
        }
        return true;
      },
      getForUpdate: async (saleId) => {
        const row = await trx('stock_reservations').where({ sale_id: saleId }).forUpdate().first();
        if (!row) return undefined;
        const lines = await trx('stock_reservation_lines').where({ sale_id: saleId }).orderBy('line_no');
        return {
          saleId,
          status: row.status,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          lines: lines.map((l) => ({ productId: l.product_id, unitLevelId: l.unit_level_id, quantity: Number(l.quantity), baseQuantity: Number(l.base_quantity) })),
        };
      },
      setStatus: async (saleId, status, at) => {
        await trx('stock_reservations').where({ sale_id: saleId }).update({ status, updated_at: at });
      },
      hasOpenLines: async (productId) => {
        const row = await trx('stock_reservation_lines as l')
          .join('stock_reservations as r', 'r.sale_id', 'l.sale_id')
          .where({ 'l.product_id': productId, 'r.status': 'reserved' })
          .first('l.sale_id');
        return row !== undefined;
      },
    },
    purchases: {
      claim: async (purchaseId, at) => {
        const inserted = await trx('purchase_receipts').insert({ purchase_id: purchaseId, received_at: at }).onConflict('purchase_id').ignore().returning('purchase_id');
        return inserted.length > 0;
      },
    },
    events: events(trx),
  };
}

export class KnexUnitOfWork implements UnitOfWork {
  constructor(
    private readonly db: Knex,
    private readonly events: (trx: Knex.Transaction) => EventRecorder,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction((trx) => work(knexTx(trx, this.events)));
  }
}

