import { invalid } from './errors';

/** A unit a product is handled in, with how many base units one of it holds (box = 24 pieces). */
export interface ProductUnitLevel {
  id: string;
  productId: string;
  unitId: string;
  factor: number;
  /** The level of the product's base unit: factor 1, created with the product, never removed. */
  isBase: boolean;
  createdAt: Date;
}

export function newUnitLevel(id: string, input: { productId: string; unitId: string; factor: number; isBase?: boolean }, now: Date): ProductUnitLevel {
  checkFactor(input.factor);
  if (input.isBase && input.factor !== 1) throw invalid('factor', 'The base unit level has factor 1.');
  return { id, productId: input.productId, unitId: input.unitId, factor: input.factor, isBase: input.isBase ?? false, createdAt: now };
}

export function checkFactor(factor: number): void {
  if (!Number.isSafeInteger(factor) || factor < 1) {
    throw invalid('factor', 'Must be a whole number of base units, 1 or more.');
  }
}

/** Base units for `quantity` of a level; throws rather than lose precision. */
export function toBaseQuantity(quantity: number, factor: number): number {
  const base = quantity * factor;
  if (!Number.isSafeInteger(base)) throw invalid('quantity', 'The quantity is too large.');
  return base;
}
