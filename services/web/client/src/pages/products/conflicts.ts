// A 409 says what is in the way; these lines add what the user can do about it. The server's own
// detail is always shown first: a code missing here still reads well.

const nextSteps: Record<string, string> = {
  'CATEGORY.IN_USE':
    'Move its products to another category (edit each product) or delete them, then delete the category.',
  'UNIT.IN_USE':
    'A unit stays while a product counts its stock in it or has a unit level in it. Remove those unit levels, or delete those products, first.',
  'PRODUCT.IN_USE':
    'A product is deleted only with no stock and no open sale. Adjust its stock to zero, or mark it inactive to take it out of sale and keep its history.',
  'UNIT_LEVEL.IN_USE':
    'Prices that took effect are kept as history, so such a level stays; a level with only scheduled prices goes once they are deleted.',
  'UNIT_LEVEL.IS_BASE': 'Stock is counted in the base unit: it goes only when the product is deleted.',
  'PRICE.ALREADY_EFFECTIVE': 'Add a new price (now or scheduled) to replace it; the old one stays as history.',
  'STOCK.INSUFFICIENT': 'Count the shelf again, or remove at most what is in stock.',
};

export interface Explained {
  /** The server's detail, e.g. "Products still belong to this category." */
  detail: string;
  /** What to do next, when the code is known. */
  next?: string;
}

/** The message for a refused request: the server's words first, then the way out. */
export function explainConflict(code: string | undefined, detail: string): Explained {
  const next = code === undefined ? undefined : nextSteps[code];
  return next === undefined ? { detail } : { detail, next };
}
