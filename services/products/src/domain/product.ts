import { requiredText } from './catalogue';
import { failures } from './failures';
import { isWhole } from './quantity';

export interface Product {
  id: string;
  sku: string;
  barcode: string | null;
  name: string;
  description: string | null;
  categoryId: string;
  baseUnitId: string;
  /** Stock at or below this (in base units) is low; a downward crossing raises a low-stock event. */
  lowStockThreshold: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductInput {
  sku: string;
  barcode?: string | null;
  name: string;
  description?: string | null;
  categoryId: string;
  baseUnitId: string;
  lowStockThreshold?: number;
  active?: boolean;
}

export type ProductChanges = Partial<Omit<ProductInput, 'baseUnitId'>>;

/**
 * A product as other services keep it in their read models: with the names of its category and
 * base unit and every unit level. Product events carry it, so publishing them reads nothing.
 */
export interface ProductSnapshot {
  product: Product;
  categoryName: string | null;
  baseUnitName: string;
  unitLevels: Array<{ id: string; unitId: string; unitName: string; factor: number }>;
}

export function newProduct(id: string, input: ProductInput, now: Date): Product {
  return checked({
    id,
    sku: input.sku,
    barcode: input.barcode ?? null,
    name: input.name,
    description: input.description ?? null,
    categoryId: input.categoryId,
    baseUnitId: input.baseUnitId,
    lowStockThreshold: input.lowStockThreshold ?? 0,
    active: input.active ?? true,
    createdAt: now,
    updatedAt: now,
  });
}

export function changeProduct(product: Product, changes: ProductChanges, now: Date): Product {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  return checked({ ...product, ...defined, updatedAt: now });
}

function checked(product: Product): Product {
  const sku = requiredText('sku', product.sku, 64);
  const barcode = product.barcode === null ? null : requiredText('barcode', product.barcode, 64);
  if (!isWhole(product.lowStockThreshold, 0)) {
    throw failures.invalidField('lowStockThreshold', 'Must be a whole number of base units, zero or more.');
  }
  return { ...product, sku, barcode, name: requiredText('name', product.name, 200) };
}
