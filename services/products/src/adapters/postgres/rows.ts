// Row ↔ entity mapping. Postgres returns bigint as text; values here stay within safe integers
// (the domain refuses anything larger), so Number() is exact.
import type { ProductCategory, ProductUnit } from '../../domain/catalogue';
import type { Product } from '../../domain/product';
import type { ProductUnitLevel } from '../../domain/unit-level';
import type { ProductUnitPrice } from '../../domain/unit-price';

type Row = Record<string, any>;

export const toCategory = (r: Row): ProductCategory => ({
  id: r.id, name: r.name, description: r.description, createdAt: r.created_at, updatedAt: r.updated_at,
});
export const fromCategory = (c: ProductCategory) => ({
  id: c.id, name: c.name, description: c.description, created_at: c.createdAt, updated_at: c.updatedAt,
});

export const toUnit = (r: Row): ProductUnit => ({
  id: r.id, name: r.name, abbreviation: r.abbreviation, createdAt: r.created_at, updatedAt: r.updated_at,
});
export const fromUnit = (u: ProductUnit) => ({
  id: u.id, name: u.name, abbreviation: u.abbreviation, created_at: u.createdAt, updated_at: u.updatedAt,
});

export const toProduct = (r: Row): Product => ({
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
export const fromProduct = (p: Product) => ({
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

export const toLevel = (r: Row): ProductUnitLevel => ({
  id: r.id, productId: r.product_id, unitId: r.unit_id, factor: Number(r.factor), isBase: r.is_base, createdAt: r.created_at,
});
export const fromLevel = (l: ProductUnitLevel) => ({
  id: l.id, product_id: l.productId, unit_id: l.unitId, factor: l.factor, is_base: l.isBase, created_at: l.createdAt,
});

export const toPrice = (r: Row): ProductUnitPrice => ({
  id: r.id,
  productId: r.product_id,
  unitLevelId: r.unit_level_id,
  sellPrice: Number(r.sell_price),
  buyPrice: Number(r.buy_price),
  currency: r.currency,
  effectiveFrom: r.effective_from,
  createdAt: r.created_at,
});
export const fromPrice = (p: ProductUnitPrice) => ({
  id: p.id,
  product_id: p.productId,
  unit_level_id: p.unitLevelId,
  sell_price: p.sellPrice,
  buy_price: p.buyPrice,
  currency: p.currency,
  effective_from: p.effectiveFrom,
  created_at: p.createdAt,
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from URLs and other services' events: a malformed one names nothing, it is not an error. */
export const isUuid = (id: string) => uuidPattern.test(id);
