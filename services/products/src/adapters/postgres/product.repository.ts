import type { Knex } from 'knex';
import type { Product, ProductSnapshot } from '../../domain/product';
import type { ProductUnitLevel } from '../../domain/unit-level';
import type { ProductRepository, UnitLevelRepository } from '../../application/ports';
import { failures } from '../../domain/failures';
import { qualified } from '@tulity/adapters/postgres/prepared';
import { decided } from './constraint-failures';

/** Postgres returns bigint as text; values stay within what the domain allows, so Number() is exact. */
type Bigint = string;

export interface ProductRow {
  id: string;
  sku: string;
  barcode: string | null;
  name: string;
  description: string | null;
  category_id: string;
  base_unit_id: string;
  low_stock_threshold: Bigint;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A product's columns by name: statements with a `*` are not prepared (adapters/src/postgres/prepared.ts). */
export const productColumns = [
  'id',
  'sku',
  'barcode',
  'name',
  'description',
  'category_id',
  'base_unit_id',
  'low_stock_threshold',
  'active',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof ProductRow>;

export interface UnitLevelRow {
  id: string;
  product_id: string;
  unit_id: string;
  factor: Bigint;
  is_base: boolean;
  created_at: Date;
}

/** A unit level's columns, named so the statements that read them are prepared (a prepared `*` breaks on a new column). */
export const levelColumns = [
  'id',
  'product_id',
  'unit_id',
  'factor',
  'is_base',
  'created_at',
] as const satisfies ReadonlyArray<keyof UnitLevelRow>;

export const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  sku: r.sku,
  barcode: r.barcode,
  name: r.name,
  description: r.description,
  categoryId: r.category_id,
  baseUnitId: r.base_unit_id,
  lowStockThreshold: Number(r.low_stock_threshold),
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const fromProduct = (p: Product) => ({
  id: p.id,
  sku: p.sku,
  barcode: p.barcode,
  name: p.name,
  description: p.description,
  category_id: p.categoryId,
  base_unit_id: p.baseUnitId,
  low_stock_threshold: p.lowStockThreshold,
  active: p.active,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

export const toLevel = (r: UnitLevelRow): ProductUnitLevel => ({
  id: r.id,
  productId: r.product_id,
  unitId: r.unit_id,
  factor: Number(r.factor),
  isBase: r.is_base,
  createdAt: r.created_at,
});
const fromLevel = (l: ProductUnitLevel) => ({
  id: l.id,
  product_id: l.productId,
  unit_id: l.unitId,
  factor: l.factor,
  is_base: l.isBase,
  created_at: l.createdAt,
});

interface SnapshotRow extends ProductRow {
  category_name: string | null;
  base_unit_name: string | null;
}

// A new product, its base unit level and its stock row in one statement, answering what the
// ProductCreated event carries: one round trip where inserts, checks and reads took seven. The
// foreign keys are checked at the end of the statement, after all three rows exist.
const createProductSql = `
  with product as (
    insert into products (${productColumns.join(', ')})
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    returning ${productColumns.join(', ')}
  ), base_level as (
    insert into product_unit_levels (id, product_id, unit_id, factor, is_base, created_at)
    values (?, ?, ?, ?, ?, ?)
  ), stock as (
    insert into product_stock (product_id, quantity, updated_at) values (?, 0, ?)
  )
  select ${qualified('p', productColumns).join(', ')}, c.name as category_name, u.name as base_unit_name
    from product p left join categories c on c.id = p.category_id left join units u on u.id = p.base_unit_id`;

/** On a new product a missing reference is the caller's unknown id, not a row still in use. */
const unknownReference = {
  products_category_fk: failures.unknownCategory,
  products_base_unit_fk: () => failures.unknownUnit('baseUnitId'),
  unit_levels_unit_fk: () => failures.unknownUnit('baseUnitId'),
};

export function productRepository(trx: Knex.Transaction): ProductRepository {
  return {
    get: async (id) => {
      const row: ProductRow | undefined = await trx('products').select(productColumns).where({ id }).first();
      return row ? toProduct(row) : undefined;
    },
    create: async (product, baseLevel) => {
      const p = fromProduct(product);
      const l = fromLevel(baseLevel);
      const bindings = [
        ...productColumns.map((column) => p[column]),
        ...[l.id, l.product_id, l.unit_id, l.factor, l.is_base, l.created_at],
        ...[p.id, p.created_at],
      ];
      const { rows } = await decided(trx.raw<{ rows: SnapshotRow[] }>(createProductSql, bindings), unknownReference);
      const row = rows[0]!;
      const baseUnitName = row.base_unit_name ?? '';
      return {
        product: toProduct(row),
        categoryName: row.category_name,
        baseUnitName,
        unitLevels: [{ id: l.id, unitId: l.unit_id, unitName: baseUnitName, factor: l.factor }],
      };
    },
    update: async (product) =>
      void (await decided(trx('products').where({ id: product.id }).update(fromProduct(product)))),
    delete: async (id) => void (await decided(trx('products').where({ id }).delete())),
    snapshot: async (id): Promise<ProductSnapshot | undefined> => {
      const row: SnapshotRow | undefined = await trx('products as p')
        .leftJoin('categories as c', 'c.id', 'p.category_id')
        .leftJoin('units as u', 'u.id', 'p.base_unit_id')
        .where('p.id', id)
        .first('p.*', 'c.name as category_name', 'u.name as base_unit_name');
      if (!row) return undefined;
      const levels: Array<UnitLevelRow & { unit_name: string }> = await trx('product_unit_levels as l')
        .join('units as u', 'u.id', 'l.unit_id')
        .where('l.product_id', id)
        .orderBy([{ column: 'l.factor' }, { column: 'l.id' }])
        .select(...qualified('l', levelColumns), 'u.name as unit_name');
      return {
        product: toProduct(row),
        categoryName: row.category_name,
        baseUnitName: row.base_unit_name ?? '',
        unitLevels: levels.map((l) => ({
          id: l.id,
          unitId: l.unit_id,
          unitName: l.unit_name,
          factor: Number(l.factor),
        })),
      };
    },
  };
}

export function unitLevelRepository(trx: Knex.Transaction): UnitLevelRepository {
  return {
    get: async (id) => {
      const row: UnitLevelRow | undefined = await trx('product_unit_levels').select(levelColumns).where({ id }).first();
      return row ? toLevel(row) : undefined;
    },
    insert: async (level) => void (await decided(trx('product_unit_levels').insert(fromLevel(level)))),
    update: async (level) =>
      void (await decided(trx('product_unit_levels').where({ id: level.id }).update(fromLevel(level)))),
    delete: async (id) => void (await decided(trx('product_unit_levels').where({ id }).delete())),
    findMany: async (ids) => {
      const wanted = [...new Set(ids)];
      const rows: UnitLevelRow[] = wanted.length
        ? await trx('product_unit_levels').select(levelColumns).whereIn('id', wanted)
        : [];
      return new Map(rows.map((r) => [r.id, toLevel(r)]));
    },
  };
}
