// Reads of the catalogue for lists and details: one statement each, outside any transaction.
import type { Knex } from 'knex';
import { containing, paged } from '@tulity/adapters/postgres/paging';
import { qualified } from '@tulity/adapters/postgres/prepared';
import type { ProductDetailView, Reads, UnitLevelView } from '../../application/ports';
import { toCategory, toUnit, type CategoryRow, type UnitRow } from './catalogue.repository';
import {
  levelColumns,
  productColumns,
  toLevel,
  toProduct,
  type ProductRow,
  type UnitLevelRow,
} from './product.repository';
import { toPrice, type PriceRow } from './price.repository';

interface ProductListRow extends ProductRow {
  /** bigint, as text */
  stock_quantity: string;
}

interface UnitLevelViewRow extends UnitLevelRow {
  unit_name: string;
  unit_abbreviation: string;
}

// `Object.assign(base, more)` rather than `{ ...base, more }`, as in the presenters: V8's slow path
// for a spread followed by a property it lacks, once per row.
const toLevelView = (r: UnitLevelViewRow): UnitLevelView =>
  Object.assign(toLevel(r), { unitName: r.unit_name, unitAbbreviation: r.unit_abbreviation });

/** Rows nested as JSON carry their timestamps as ISO text; bigints are cast to text as in a plain row. */
type AsJson<Row, Dates extends keyof Row> = Omit<Row, Dates> & Record<Dates, string>;

/** A row nested as JSON with its timestamps made Dates again, in place: it is fresh from JSON.parse. */
function revived<Row, Dates extends keyof Row>(row: AsJson<Row, Dates>, ...dates: Dates[]): Row {
  const fields = row as Record<Dates, unknown>;
  for (const date of dates) fields[date] = new Date(fields[date] as string);
  return row as unknown as Row;
}

interface ProductDetailRow extends ProductRow {
  /** bigints, as text */
  stock_quantity: string;
  stock_reserved: string;
  stock_updated_at: Date;
  unit_levels: Array<AsJson<UnitLevelViewRow, 'created_at'>>;
  prices: Array<AsJson<PriceRow, 'effective_from' | 'created_at'>>;
}

// A product's page in one round trip instead of four: the product, its stock and what sales hold
// of it, its unit levels, and per level only the latest price that took effect by $2 (the domain
// still picks the current one from these). Prepared like every statement with parameters, so its
// columns are named: a prepared `p.*` fails once a migration adds a column under a running replica.
const productDetail = `
    select ${qualified('p', productColumns).join(', ')},
      s.quantity as stock_quantity, s.reserved as stock_reserved, s.updated_at as stock_updated_at,
      (select coalesce(json_agg(json_build_object(
                'id', l.id, 'product_id', l.product_id, 'unit_id', l.unit_id, 'factor', l.factor::text,
                'is_base', l.is_base, 'created_at', l.created_at,
                'unit_name', u.name, 'unit_abbreviation', u.abbreviation) order by l.factor, l.id), '[]')
         from product_unit_levels l join units u on u.id = l.unit_id
        where l.product_id = p.id) as unit_levels,
      (select coalesce(json_agg(json_build_object(
                'id', c.id, 'product_id', c.product_id, 'unit_level_id', c.unit_level_id,
                'sell_price', c.sell_price::text, 'buy_price', c.buy_price::text, 'currency', c.currency,
                'effective_from', c.effective_from, 'created_at', c.created_at) order by c.unit_level_id), '[]')
         from (select distinct on (pr.unit_level_id) pr.id, pr.product_id, pr.unit_level_id, pr.sell_price,
                      pr.buy_price, pr.currency, pr.effective_from, pr.created_at
                 from product_unit_prices pr
                where pr.product_id = p.id and pr.effective_from <= ?
                order by pr.unit_level_id, pr.effective_from desc, pr.created_at desc) c) as prices
    from products p join product_stock s on s.product_id = p.id
    where p.id = ?`;

function toProductDetail(r: ProductDetailRow): ProductDetailView {
  return Object.assign(toProduct(r), {
    stock: {
      productId: r.id,
      quantity: Number(r.stock_quantity),
      reserved: Number(r.stock_reserved),
      lowStockThreshold: Number(r.low_stock_threshold),
      updatedAt: r.stock_updated_at,
    },
    unitLevels: r.unit_levels.map((l) => toLevelView(revived(l, 'created_at'))),
    prices: r.prices.map((price) => toPrice(revived(price, 'effective_from', 'created_at'))),
  });
}

// The whole catalogue's size, kept by triggers (migrations/20261130_01_product_count.ts).
const keptTotal = (db: Knex) => db('product_count_shards').sum({ total: 'products' });

const withStock = (products: Knex.QueryBuilder) => products.join('product_stock as s', 's.product_id', 'p.id');

export function catalogueQueries(db: Knex): Pick<Reads, 'categories' | 'units' | 'products' | 'levels' | 'prices'> {
  return {
    categories: {
      list: (query) => {
        const rows = db('categories').select('*');
        if (query.q) rows.whereILike('name', containing(query.q));
        return paged(rows, query, { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' }, toCategory);
      },
      get: async (id) => {
        const row = await db<CategoryRow>('categories').where({ id }).first();
        return row ? toCategory(row) : undefined;
      },
    },
    units: {
      list: (query) => {
        const rows = db('units').select('*');
        if (query.q)
          rows.where((w) =>
            w.whereILike('name', containing(query.q!)).orWhereILike('abbreviation', containing(query.q!)),
          );
        return paged(rows, query, { name: 'name', abbreviation: 'abbreviation', createdAt: 'created_at' }, toUnit);
      },
      get: async (id) => {
        const row = await db<UnitRow>('units').where({ id }).first();
        return row ? toUnit(row) : undefined;
      },
    },
    products: {
      list: (query) => {
        // Every product has its one stock row, so the total needs the stock only to filter on it.
        const counted = query.lowStock === undefined ? db('products as p') : withStock(db('products as p'));
        const rows = withStock(db('products as p')).select(
          ...qualified('p', productColumns),
          's.quantity as stock_quantity',
        );
        for (const builder of [rows, counted] as Knex.QueryBuilder[]) {
          if (query.q) {
            const q = containing(query.q);
            builder.where((w) => w.whereILike('p.name', q).orWhereILike('p.sku', q).orWhereILike('p.barcode', q));
          }
          if (query.categoryId !== undefined) builder.where('p.category_id', query.categoryId);
          if (query.active !== undefined) builder.where('p.active', query.active);
          if (query.barcode !== undefined) builder.where('p.barcode', query.barcode);
          if (query.lowStock !== undefined)
            builder.whereRaw('(s.quantity <= p.low_stock_threshold) = ?', [query.lowStock]);
        }
        return paged(
          rows,
          query,
          { sku: 'p.sku', name: 'p.name', createdAt: 'p.created_at', updatedAt: 'p.updated_at', stock: 's.quantity' },
          (row: ProductListRow) => Object.assign(toProduct(row), { stockQuantity: Number(row.stock_quantity) }),
          { tieBreaker: 'p.id', count: counted, unfilteredTotal: keptTotal(db) },
        );
      },
      get: async (id) => {
        const row = await db<ProductRow>('products').where({ id }).first();
        return row ? toProduct(row) : undefined;
      },
      detail: async (id, at) => {
        const result: { rows: ProductDetailRow[] } = await db.raw(productDetail, [at, id]);
        const row = result.rows[0];
        return row ? toProductDetail(row) : undefined;
      },
    },
    levels: {
      of: async (productId) => {
        const rows: UnitLevelViewRow[] = await db('product_unit_levels as l')
          .join('units as u', 'u.id', 'l.unit_id')
          .where('l.product_id', productId)
          .orderBy([{ column: 'l.factor' }, { column: 'l.id' }])
          .select(...qualified('l', levelColumns), 'u.name as unit_name', 'u.abbreviation as unit_abbreviation');
        return rows.map(toLevelView);
      },
    },
    prices: {
      list: (productId, query) => {
        const rows = db('product_unit_prices').select('*').where({ product_id: productId });
        if (query.unitLevelId !== undefined) rows.where('unit_level_id', query.unitLevelId);
        return paged(
          rows,
          query,
          { effectiveFrom: 'effective_from', createdAt: 'created_at', sellPrice: 'sell_price' },
          toPrice,
        );
      },
      get: async (productId, id) => {
        const row = await db<PriceRow>('product_unit_prices').where({ id, product_id: productId }).first();
        return row ? toPrice(row) : undefined;
      },
      // A price set aside after a failed announcement is tried again an hour later, after the others.
      due: async (now, limit) => {
        const retryBefore = new Date(now.getTime() - 60 * 60 * 1000);
        const rows: Array<{ id: string }> = await db('product_unit_prices')
          .whereNull('announced_at')
          .where('effective_from', '<=', now)
          .where((w) => w.whereNull('announcement_failed_at').orWhere('announcement_failed_at', '<', retryBefore))
          .orderBy([{ column: 'effective_from' }, { column: 'id' }])
          .limit(limit)
          .select('id');
        return rows.map((r) => r.id);
      },
    },
  };
}
