// The local read model of products' catalogue, as transactions prices lines with it: fed only by
// products' events, never asked over HTTP.
import type { FieldProblem } from '@tulity/adapters/core/failure';
import { failures } from './failures';

export interface CatalogueUnitLevel {
  id: string;
  unitName: string;
  /** Base units in one of this level. */
  conversionFactor: number;
  /** Null until products announced a price for this level. */
  sellPriceMinor: number | null;
  buyPriceMinor: number | null;
  currency: string | null;
}

export interface CatalogueProduct {
  id: string;
  sku: string;
  name: string;
  active: boolean;
  deleted: boolean;
  unitLevels: CatalogueUnitLevel[];
}

/** A line as the client names it: what, in which unit, how many. */
export interface NamedLine {
  productId: string;
  unitLevelId: string;
  quantity: number;
}

export interface ResolvedLine {
  product: CatalogueProduct;
  level: CatalogueUnitLevel;
}

export type Purpose = 'sale' | 'purchase';

/**
 * Finds each line's product and unit level, or throws one failure naming every unusable line
 * (`lines.<i>.productId` / `lines.<i>.unitLevelId`). Sales need an active product; purchases may
 * restock an inactive one, but never a deleted one.
 */
export function resolveLines(
  lines: NamedLine[],
  products: Map<string, CatalogueProduct>,
  purpose: Purpose,
): ResolvedLine[] {
  const problems: FieldProblem[] = [];
  const resolved: ResolvedLine[] = [];
  lines.forEach((line, index) => {
    const product = products.get(line.productId);
    if (!product || product.deleted) {
      problems.push({ field: `lines.${index}.productId`, message: 'No such product.' });
      return;
    }
    if (purpose === 'sale' && !product.active) {
      problems.push({ field: `lines.${index}.productId`, message: 'The product is not for sale (inactive).' });
      return;
    }
    const level = product.unitLevels.find((candidate) => candidate.id === line.unitLevelId);
    if (!level) {
      problems.push({ field: `lines.${index}.unitLevelId`, message: 'The product has no such unit level.' });
      return;
    }
    resolved.push({ product, level });
  });
  if (problems.length > 0) throw failures.linesUnusable(problems);
  return resolved;
}

/** Whether a level is priced in the shop's currency (another currency counts as unpriced). */
export const sellPriceOf = (level: CatalogueUnitLevel, currency: string): number | null =>
  level.currency === currency ? level.sellPriceMinor : null;

export const buyPriceOf = (level: CatalogueUnitLevel, currency: string): number | null =>
  level.currency === currency ? level.buyPriceMinor : null;
