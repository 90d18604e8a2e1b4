// The database decides uniqueness and references (no check-then-write race); this turns the
// constraint it names into the Failure the caller understands.
import type { Failure } from '@tulity/adapters/core/failure';
import { failures } from '../../domain/failures';

const byConstraint: Record<string, () => Failure> = {
  categories_name_unique: failures.categoryNameTaken,
  units_name_unique: failures.unitNameTaken,
  products_sku_unique: failures.skuTaken,
  products_barcode_unique: failures.barcodeTaken,
  products_category_fk: failures.categoryInUse,
  products_base_unit_fk: () => failures.unitInUse('Products still count their stock in this unit.'),
  unit_levels_unit_fk: () => failures.unitInUse('Unit levels of products still use this unit.'),
  unit_levels_product_unit_unique: failures.unitLevelUnitTaken,
  prices_unit_level_fk: failures.unitLevelInUse,
};

const uniqueViolation = '23505';
const foreignKeyViolation = '23503';

/**
 * Awaits a write; a unique or foreign-key violation of a known constraint becomes its Failure.
 * `meaning` overrides what a constraint means for this write (a new row's missing reference is
 * an unknown id, where the same constraint on a delete means the row is still in use).
 */
export async function decided<T>(write: PromiseLike<T>, meaning: Record<string, () => Failure> = {}): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    const failure = constraint ? (meaning[constraint] ?? byConstraint[constraint]) : undefined;
    if (failure && (code === uniqueViolation || code === foreignKeyViolation)) throw failure();
    throw error;
  }
}
