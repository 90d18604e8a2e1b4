// A purchase from a supplier: stock comes in. Costs come from the read model's buy prices unless
// the line gives its own; amounts are integer minor units.
import type { FieldProblem } from '@tulity/adapters/core/failure';
import { buyPriceOf, resolveLines, type CatalogueProduct, type NamedLine } from './catalogue';
import { failures } from './failures';
import { maxSafeMinor, times } from './money';

export interface PurchaseLine {
  id: string;
  productId: string;
  unitLevelId: string;
  sku: string;
  productName: string;
  unitName: string;
  quantity: number;
  conversionFactor: number;
  baseQuantity: number;
  unitCostMinor: number;
  lineTotalMinor: number;
}

export interface Purchase {
  id: string;
  recordedBy: string;
  supplierName: string;
  supplierReference: string | null;
  currency: string;
  lines: PurchaseLine[];
  totalMinor: number;
  createdAt: Date;
}

export interface PurchaseRequestLine extends NamedLine {
  /** Overrides the read model's buy price. */
  unitCostMinor?: number | null;
}

export interface NewPurchase {
  id: string;
  recordedBy: string;
  supplierName: string;
  supplierReference?: string | null;
  currency: string;
  lines: PurchaseRequestLine[];
  now: Date;
  newId(): string;
}

export function newPurchase(input: NewPurchase, products: Map<string, CatalogueProduct>): Purchase {
  const resolved = resolveLines(input.lines, products, 'purchase');
  const uncosted: FieldProblem[] = [];
  const costs = resolved.map(({ level }, index) => {
    const cost = input.lines[index]!.unitCostMinor ?? buyPriceOf(level, input.currency);
    if (cost === null)
      uncosted.push({
        field: `lines.${index}.unitCostMinor`,
        message: `No buy price in ${input.currency} is known; give one.`,
      });
    return cost;
  });
  if (uncosted.length > 0) throw failures.linesUnusable(uncosted);

  const lines = resolved.map(({ product, level }, index): PurchaseLine => {
    const quantity = input.lines[index]!.quantity;
    const unitCostMinor = costs[index]!;
    const lineTotalMinor = times(quantity, unitCostMinor);
    const baseQuantity = times(quantity, level.conversionFactor);
    if (lineTotalMinor === undefined || baseQuantity === undefined) throw failures.totalTooLarge();
    return {
      id: input.newId(),
      productId: product.id,
      unitLevelId: level.id,
      sku: product.sku,
      productName: product.name,
      unitName: level.unitName,
      quantity,
      conversionFactor: level.conversionFactor,
      baseQuantity,
      unitCostMinor,
      lineTotalMinor,
    };
  });
  const totalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  if (totalMinor > maxSafeMinor) throw failures.totalTooLarge();
  return {
    id: input.id,
    recordedBy: input.recordedBy,
    supplierName: input.supplierName,
    supplierReference: input.supplierReference ?? null,
    currency: input.currency,
    lines,
    totalMinor,
    createdAt: input.now,
  };
}
