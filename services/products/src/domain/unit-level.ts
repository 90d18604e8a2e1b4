import { failures } from './failures';
import { isWhole } from './quantity';

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

/** A factor beyond this is no real packaging, and keeps factor × quantity far from overflowing. */
export const largestFactor = 1_000_000_000;

export function newUnitLevel(
  id: string,
  input: { productId: string; unitId: string; factor: number; isBase?: boolean },
  now: Date,
): ProductUnitLevel {
  checkFactor(input.factor);
  if (input.isBase && input.factor !== 1) throw failures.invalidField('factor', 'The base unit level has factor 1.');
  return {
    id,
    productId: input.productId,
    unitId: input.unitId,
    factor: input.factor,
    isBase: input.isBase ?? false,
    createdAt: now,
  };
}

export function changeFactor(level: ProductUnitLevel, factor: number): ProductUnitLevel {
  checkFactor(factor);
  if (level.isBase && factor !== 1)
    throw failures.unitLevelIsBase('The base unit level always has factor 1.', 'factor');
  return { ...level, factor };
}

function checkFactor(factor: number): void {
  if (!isWhole(factor, 1, largestFactor)) {
    throw failures.invalidField('factor', `Must be a whole number of base units, from 1 to ${largestFactor}.`);
  }
}

/** Base units for `quantity` of a level; undefined when it is not a count the contracts carry. */
export function toBaseQuantity(quantity: number, factor: number): number | undefined {
  const base = quantity * factor;
  return isWhole(quantity, 1) && isWhole(base, 1) ? base : undefined;
}
