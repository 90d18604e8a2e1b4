// Reads for the HTTP API: lists with paging, search, filters and sort, and details. They read
// committed rows directly (no use case: a read changes nothing and has no rule to guard).
import type { Knex } from 'knex';
import { currentPrices } from '../../domain/unit-price';
import { isUuid, toCategory, toLevel, toPrice, toProduct, toUnit } from './rows';

export interface ListParams {
  page: number;
  pageSize: number;
  /** A field name, `-` in front for descending. */
  sort?: string;
  q?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export class UnknownSortError extends Error {
  constructor(readonly allowed: string[]) {
    super(`Sort by one of: ${allowed.join(', ')} (prefix - for descending).`);
  }
}

async function paged<T>(query: Knex.QueryBuilder, params: ListParams, sortable: Record<string, string>, defaultSort: string, map: (row: any) => T): Promise<Page<T>> {
  const sort = params.sort ?? defaultSort;
  const column = sortable[sort.replace(/^-/, '')];
  if (!column) throw new UnknownSortError(Object.keys(sortable));
  const [{ total }] = await query.clone().clearSelect().clearOrder().count({ total: '*' });
  const rows = await query
    .orderBy([{ column, order: sort.startsWith('-') ? 'desc' : 'asc' }, { column: sortable.id ?? column, order: 'asc' }])
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize);
  return { items: rows.map(map), total: Number(total), page: params.page, pageSize: params.pageSize };
}

/** `%` and `_` typed by a user are literal text, not wildcards. */
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class KnexProductQueries {
  constructor(private readonly db: Knex) {}

  listCategories(params: ListParams) {
    const query = this.db('categories').select('*');
    if (params.q) query.whereILike('name', like(params.q));
    return paged(query, params, { id: 'id', name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' }, 'name', toCategory);
  }

  async getCategory(id: string) {
    if (!isUuid(id)) return undefined;
    const row = await this.db('categories').where({ id }).first();
    return row ? toCategory(row) : undefined;
  }

  listUnits(params: ListParams) {
    const query = this.db('units').select('*');
    if (params.q) query.where((w) => w.whereILike('name', like(params.q!)).orWhereILike('abbreviation', like(params.q!)));
    return paged(query, params, { id: 'id', name: 'name', abbreviation: 'abbreviation', createdAt: 'created_at' }, 'name', toUnit);
  }

  async getUnit(id: string) {
    if (!isUuid(id)) return undefined;
    const row = await this.db('units').where({ id }).first();
    return row ? toUnit(row) : undefined;
  }

  listProducts(params: ListParams & { categoryId?: string; active?: boolean; lowStock?: boolean; barcode?: string }) {
    const query = this.db('products as p').join('product_stock as s', 's.product_id', 'p.id').select('p.*', 's.quantity as stock_quantity');
    if (params.q) {
      const q = like(params.q);
      query.where((w) => w.whereILike('p.name', q).orWhereILike('p.sku', q).orWhereILike('p.barcode', q));
    }
    if (params.categoryId !== undefined) query.where('p.category_id', isUuid(params.categoryId) ? params.categoryId : null);
    if (params.active !== undefined) query.where('p.active', params.active);
    if (params.barcode !== undefined) query.where('p.barcode', params.barcode);
    if (params.lowStock !== undefined) query.whereRaw(`(s.quantity <= p.low_stock_threshold) = ?`, [params.lowStock]);
    return paged(
      query,
      params,
      { id: 'p.id', sku: 'p.sku', name: 'p.name', createdAt: 'p.created_at', updatedAt: 'p.updated_at', stock: 's.quantity' },
      'name',
      (row) => ({ ...toProduct(row), stockQuantity: Number(row.stock_quantity) }),
    );
  }

  async getProduct(id: string, now: Date) {
    if (!isUuid(id)) return undefined;
    const row = await this.db('products').where({ id }).first();
    if (!row) return undefined;
    const [stock, unitLevels, prices] = await Promise.all([this.getStock(id), this.listUnitLevels(id), this.db('product_unit_prices').where({ product_id: id })]);
    return { ...toProduct(row), stock, unitLevels, currentPrices: currentPrices(prices.map(toPrice), now) };
  }

  async getStock(productId: string) {
    if (!isUuid(productId)) return undefined;
    const row = await this.db('product_stock as s')
      .join('products as p', 'p.id', 's.product_id')
      .where('s.product_id', productId)
      .first('s.quantity', 's.updated_at', 'p.low_stock_threshold', this.db.raw(`(
        select coalesce(sum(l.base_quantity), 0) from stock_reservation_lines l
          join stock_reservations r on r.sale_id = l.sale_id
         where l.product_id = s.product_id and r.status = 'reserved') as reserved`));
    if (!row) return undefined;
    const quantity = Number(row.quantity);
    const threshold = Number(row.low_stock_threshold);
    return { productId, quantity, reserved: Number(row.reserved), lowStockThreshold: threshold, low: quantity <= threshold, updatedAt: row.updated_at };
  }

  async listUnitLevels(productId: string) {
    const rows = await this.db('product_unit_levels as l')
      .join('units as u', 'u.id', 'l.unit_id')
      .where('l.product_id', productId)
      .orderBy([{ column: 'l.factor' }, { column: 'l.id' }])
      .select('l.*', 'u.name as unit_name', 'u.abbreviation as unit_abbreviation');
    return rows.map((r) => ({ ...toLevel(r), unitName: r.unit_name as string, unitAbbreviation: r.unit_abbreviation as string }));
  }

  async getUnitLevel(productId: string, id: string) {
    if (!isUuid(id)) return undefined;
    return (await this.listUnitLevels(productId)).find((l) => l.id === id);
  }

  listPrices(productId: string, params: ListParams & { unitLevelId?: string }) {
    const query = this.db('product_unit_prices').select('*').where({ product_id: productId });
    if (params.unitLevelId !== undefined) query.where('unit_level_id', isUuid(params.unitLevelId) ? params.unitLevelId : null);
    return paged(query, params, { id: 'id', effectiveFrom: 'effective_from', createdAt: 'created_at', sellPrice: 'sell_price' }, '-effectiveFrom', toPrice);
  }

  async getPrice(productId: string, id: string) {
    if (!isUuid(id)) return undefined;
    const row = await this.db('product_unit_prices').where({ id, product_id: productId }).first();
    return row ? toPrice(row) : undefined;
  }

  listMovements(productId: string, params: ListParams & { reason?: string }) {
    const query = this.db('stock_movements').select('*').where({ product_id: productId });
    if (params.reason !== undefined) query.where({ reason: params.reason });
    return paged(query, params, { id: 'id', occurredAt: 'occurred_at' }, '-id', (r) => ({
      id: Number(r.id),
      productId: r.product_id,
      delta: Number(r.delta),
      balanceAfter: Number(r.balance_after),
      reason: r.reason as string,
      reference: r.reference as string | null,
      note: r.note as string | null,
      occurredAt: r.occurred_at as Date,
    }));
  }
}
