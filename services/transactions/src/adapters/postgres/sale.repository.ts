import type { Knex } from 'knex';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import { containing, paged } from '@tulity/adapters/postgres/paging';
import { qualified } from '@tulity/adapters/postgres/prepared';
import type { SaleFilters, SaleReads, SaleRepository, SaleSortKey } from '../../application/ports';
import type { PaymentMethod, Sale, SaleLine, SaleReturn, SaleStatus, Shortage } from '../../domain/sale';
import type { WriteBatch } from './write-batch';

type Db = Knex | Knex.Transaction;
/** pg returns bigint columns as strings. */
type Big = string | number;

interface SaleRow {
  id: string;
  cashier_id: string;
  status: SaleStatus;
  currency: string;
  total_minor: Big;
  discount_minor: Big;
  refunded_minor: Big;
  note: string | null;
  payment_method: PaymentMethod | null;
  amount_tendered_minor: Big | null;
  change_minor: Big | null;
  rejection_reason: string | null;
  shortages: Shortage[] | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  deadline_at: Date;
  created_at: Date;
  updated_at: Date;
}

interface SaleLineRow {
  id: string;
  sale_id: string;
  position: number;
  product_id: string;
  unit_level_id: string;
  sku: string;
  product_name: string;
  unit_name: string;
  quantity: Big;
  conversion_factor: Big;
  base_quantity: Big;
  unit_price_minor: Big;
  gross_minor: Big;
  discount_minor: Big;
  line_total_minor: Big;
  returned_quantity: Big;
  refunded_minor: Big;
}

// The columns each read names, so it is prepared (a prepared `*` breaks once a migration adds one).
const saleColumns = [
  'id',
  'cashier_id',
  'status',
  'currency',
  'total_minor',
  'discount_minor',
  'refunded_minor',
  'note',
  'payment_method',
  'amount_tendered_minor',
  'change_minor',
  'rejection_reason',
  'shortages',
  'cancelled_by',
  'cancel_reason',
  'deadline_at',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof SaleRow>;
const lineColumns = [
  'id',
  'sale_id',
  'position',
  'product_id',
  'unit_level_id',
  'sku',
  'product_name',
  'unit_name',
  'quantity',
  'conversion_factor',
  'base_quantity',
  'unit_price_minor',
  'gross_minor',
  'discount_minor',
  'line_total_minor',
  'returned_quantity',
  'refunded_minor',
] as const satisfies ReadonlyArray<keyof SaleLineRow>;

interface SaleReturnRow {
  id: string;
  sale_id: string;
  returned_by: string;
  reason: string | null;
  refund_minor: Big;
  lines: SaleReturn['lines'];
  created_at: Date;
}

const orNull = (value: Big | null) => (value === null ? null : Number(value));

function toLine(row: SaleLineRow): SaleLine {
  return {
    id: row.id,
    productId: row.product_id,
    unitLevelId: row.unit_level_id,
    sku: row.sku,
    productName: row.product_name,
    unitName: row.unit_name,
    quantity: Number(row.quantity),
    conversionFactor: Number(row.conversion_factor),
    baseQuantity: Number(row.base_quantity),
    unitPriceMinor: Number(row.unit_price_minor),
    grossMinor: Number(row.gross_minor),
    discountMinor: Number(row.discount_minor),
    lineTotalMinor: Number(row.line_total_minor),
    returnedQuantity: Number(row.returned_quantity),
    refundedMinor: Number(row.refunded_minor),
  };
}

function toSale(row: SaleRow, lines: SaleLineRow[]): Sale {
  return {
    id: row.id,
    cashierId: row.cashier_id,
    status: row.status,
    currency: row.currency,
    lines: lines.map(toLine),
    totalMinor: Number(row.total_minor),
    discountMinor: Number(row.discount_minor),
    refundedMinor: Number(row.refunded_minor),
    note: row.note,
    paymentMethod: row.payment_method,
    amountTenderedMinor: orNull(row.amount_tendered_minor),
    changeMinor: orNull(row.change_minor),
    rejection: row.rejection_reason === null ? null : { reason: row.rejection_reason, shortages: row.shortages ?? [] },
    cancellation: row.cancelled_by === null ? null : { by: row.cancelled_by, reason: row.cancel_reason },
    deadlineAt: row.deadline_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const stateColumns = (sale: Sale) => ({
  status: sale.status,
  refunded_minor: sale.refundedMinor,
  rejection_reason: sale.rejection?.reason ?? null,
  shortages: sale.rejection ? JSON.stringify(sale.rejection.shortages) : null,
  cancelled_by: sale.cancellation?.by ?? null,
  cancel_reason: sale.cancellation?.reason ?? null,
  updated_at: sale.updatedAt,
});

/** Sales with their lines, in as many queries as there are tables. */
async function withLines(db: Db, rows: SaleRow[]): Promise<Sale[]> {
  if (rows.length === 0) return [];
  const lines: SaleLineRow[] = await db('sale_lines')
    .select(lineColumns)
    .whereIn(
      'sale_id',
      rows.map((row) => row.id),
    )
    .orderBy('position');
  const bySale = new Map<string, SaleLineRow[]>();
  for (const line of lines) bySale.set(line.sale_id, [...(bySale.get(line.sale_id) ?? []), line]);
  return rows.map((row) => toSale(row, bySale.get(row.id) ?? []));
}

async function getSale(db: Db, id: string, lock: boolean): Promise<Sale | undefined> {
  const query = db('sales').select(saleColumns).where({ id }).first();
  const row: SaleRow | undefined = lock ? await query.forUpdate() : await query;
  return row ? (await withLines(db, [row]))[0] : undefined;
}

const sortColumns: Record<SaleSortKey, string> = {
  createdAt: 'created_at',
  totalMinor: 'total_minor',
  status: 'status',
};

/** The sale's row and all its lines: queued, so they travel in the batch's one statement. */
function saleInserts(trx: Knex.Transaction, sale: Sale) {
  return [
    trx('sales').insert({
      id: sale.id,
      cashier_id: sale.cashierId,
      currency: sale.currency,
      total_minor: sale.totalMinor,
      discount_minor: sale.discountMinor,
      note: sale.note,
      payment_method: sale.paymentMethod,
      amount_tendered_minor: sale.amountTenderedMinor,
      change_minor: sale.changeMinor,
      deadline_at: sale.deadlineAt,
      created_at: sale.createdAt,
      ...stateColumns(sale),
    }),
    trx('sale_lines').insert(
      sale.lines.map((line, position) => ({
        id: line.id,
        sale_id: sale.id,
        position,
        product_id: line.productId,
        unit_level_id: line.unitLevelId,
        sku: line.sku,
        product_name: line.productName,
        unit_name: line.unitName,
        quantity: line.quantity,
        conversion_factor: line.conversionFactor,
        base_quantity: line.baseQuantity,
        unit_price_minor: line.unitPriceMinor,
        gross_minor: line.grossMinor,
        discount_minor: line.discountMinor,
        line_total_minor: line.lineTotalMinor,
        returned_quantity: line.returnedQuantity,
        refunded_minor: line.refundedMinor,
      })),
    ),
  ];
}

/** New rows are queued in `batch`; every other method first sends what is queued, then runs. */
export function saleRepository(batch: WriteBatch): SaleRepository {
  return {
    async insert(sale) {
      batch.queue((trx) => saleInserts(trx, sale));
    },
    get: async (id) => getSale(await batch.sent(), id, false),
    getForUpdate: async (id) => getSale(await batch.sent(), id, true),
    async update(sale) {
      const trx = await batch.sent();
      await trx('sales').where({ id: sale.id }).update(stateColumns(sale));
      for (const line of sale.lines) {
        await trx('sale_lines')
          .where({ id: line.id })
          .whereNot({ returned_quantity: line.returnedQuantity })
          .update({ returned_quantity: line.returnedQuantity, refunded_minor: line.refundedMinor });
      }
    },
    async insertReturn(saleReturn) {
      batch.queue((trx) =>
        trx('sale_returns').insert({
          id: saleReturn.id,
          sale_id: saleReturn.saleId,
          returned_by: saleReturn.returnedBy,
          reason: saleReturn.reason,
          refund_minor: saleReturn.refundMinor,
          lines: JSON.stringify(saleReturn.lines),
          created_at: saleReturn.createdAt,
        }),
      );
    },
  };
}

export function saleReads(db: Knex): SaleReads {
  return {
    get: (id) => getSale(db, id, false),
    async list(query: ListQuery<SaleSortKey> & SaleFilters): Promise<Page<Sale>> {
      const base = db<SaleRow>('sales').select(qualified('sales', saleColumns));
      if (query.status) base.where('status', query.status);
      if (query.cashierId) base.where('cashier_id', query.cashierId);
      if (query.paymentMethod) base.where('payment_method', query.paymentMethod);
      if (query.from) base.where('created_at', '>=', query.from);
      if (query.to) base.where('created_at', '<', query.to);
      if (query.productId)
        base.whereExists(
          db('sale_lines').whereRaw('sale_lines.sale_id = sales.id').where('product_id', query.productId),
        );
      if (query.q) base.whereILike('note', containing(query.q));
      const page = await paged(base, query, sortColumns, (row: SaleRow) => row);
      return { ...page, items: await withLines(db, page.items) };
    },
    async returnsOf(saleId) {
      const rows = await db<SaleReturnRow>('sale_returns')
        .where({ sale_id: saleId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }]);
      return rows.map((row) => ({
        id: row.id,
        saleId: row.sale_id,
        returnedBy: row.returned_by,
        reason: row.reason,
        refundMinor: Number(row.refund_minor),
        lines: row.lines,
        createdAt: row.created_at,
      }));
    },
    async overdue(now, limit) {
      const rows = await db<SaleRow>('sales')
        .select('id')
        .where({ status: 'pending' })
        .where('deadline_at', '<=', now)
        .orderBy('deadline_at')
        .limit(limit);
      return rows.map((row) => row.id);
    },
  };
}
