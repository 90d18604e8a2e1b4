// Every failure products can answer, with its stable code: built here and nowhere else.
import { conflict, invalid, notFound, unprocessable, type Failure } from '@tulity/adapters/core/failure';

export const failures = {
  /** A rule of the domain refused a value the edge could not judge alone. */
  invalidField: (field: string, message: string): Failure => invalid('INPUT.INVALID', message, field),

  categoryNotFound: () => notFound('CATEGORY.NOT_FOUND', 'There is no such category.'),
  categoryNameTaken: () => conflict('CATEGORY.NAME_TAKEN', 'A category with this name exists.', 'name'),
  categoryInUse: () => conflict('CATEGORY.IN_USE', 'Products still belong to this category.'),
  unknownCategory: () =>
    unprocessable('CATEGORY.UNKNOWN', 'There is no such category.', [
      { field: 'categoryId', message: 'Unknown category.' },
    ]),

  unitNotFound: () => notFound('UNIT.NOT_FOUND', 'There is no such unit.'),
  unitNameTaken: () => conflict('UNIT.NAME_TAKEN', 'A unit with this name exists.', 'name'),
  unitInUse: (message: string) => conflict('UNIT.IN_USE', message),
  unknownUnit: (field: 'unitId' | 'baseUnitId') =>
    unprocessable('UNIT.UNKNOWN', 'There is no such unit.', [{ field, message: 'Unknown unit.' }]),

  productNotFound: () => notFound('PRODUCT.NOT_FOUND', 'There is no such product.'),
  skuTaken: () => conflict('PRODUCT.SKU_TAKEN', 'Another product has this SKU.', 'sku'),
  barcodeTaken: () => conflict('PRODUCT.BARCODE_TAKEN', 'Another product has this barcode.', 'barcode'),
  productInUse: (message: string) => conflict('PRODUCT.IN_USE', message),

  unitLevelNotFound: () => notFound('UNIT_LEVEL.NOT_FOUND', 'The product has no such unit level.'),
  unitLevelUnitTaken: () =>
    conflict('UNIT_LEVEL.UNIT_TAKEN', 'The product already has a level in this unit.', 'unitId'),
  unitLevelInUse: () => conflict('UNIT_LEVEL.IN_USE', 'Prices still refer to this unit level; delete them first.'),
  unitLevelIsBase: (message: string, field?: string) => conflict('UNIT_LEVEL.IS_BASE', message, field),
  unknownUnitLevel: () =>
    unprocessable('UNIT_LEVEL.UNKNOWN', 'Not a unit level of this product.', [
      { field: 'unitLevelId', message: 'Not a unit level of this product.' },
    ]),

  priceNotFound: () => notFound('PRICE.NOT_FOUND', 'The product has no such price.'),
  priceAlreadyEffective: () =>
    conflict('PRICE.ALREADY_EFFECTIVE', 'This price has taken effect and is kept as history; add a new price instead.'),

  insufficientStock: (onHand: number, taken: number) =>
    conflict('STOCK.INSUFFICIENT', `Only ${onHand} in stock; cannot take ${taken}.`, 'delta'),
  stockTooLarge: () =>
    conflict('STOCK.TOO_LARGE', 'The stock would exceed the largest quantity that can be counted.', 'delta'),
};
