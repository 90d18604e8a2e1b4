// The purchase form's lines as typed, checked before sending as the purchase API checks them.
import { parseMoney, parseQuantity } from '../pos/cart';

export interface DraftLevel {
  unitLevelId: string;
  unitName: string;
  factor: number;
  /** The catalogue's current buy price in the currency, if any. */
  buyPriceMinor: number | null;
}

export interface DraftLine {
  key: number;
  productId: string;
  productName: string;
  sku: string;
  levels: DraftLevel[];
  unitLevelId: string;
  quantity: string;
  /** '' takes the catalogue buy price. */
  unitCost: string;
}

export interface PurchaseDraft {
  supplierName: string;
  supplierReference: string;
  lines: DraftLine[];
}

export interface PurchaseBody {
  supplierName: string;
  supplierReference?: string;
  lines: { productId: string; unitLevelId: string; quantity: number; unitCostMinor?: number }[];
}

/** Field path (as the server names it) → message. */
export type DraftProblems = Record<string, string>;

const noControl = /^[^\p{Cc}]*$/u;

export function checkPurchase(
  draft: PurchaseDraft,
  currency: string,
): { body?: PurchaseBody; problems: DraftProblems } {
  const problems: DraftProblems = {};
  const supplierName = draft.supplierName.trim();
  const supplierReference = draft.supplierReference.trim();
  if (!supplierName) problems.supplierName = 'Enter the supplier.';
  else if (supplierName.length > 200) problems.supplierName = 'At most 200 characters.';
  else if (!noControl.test(supplierName)) problems.supplierName = 'Control characters are not allowed.';
  if (supplierReference.length > 100) problems.supplierReference = 'At most 100 characters.';
  if (draft.lines.length === 0) problems.lines = 'Add at least one product.';
  if (draft.lines.length > 100) problems.lines = 'At most 100 lines.';
  const lines = draft.lines.map((line, index) => {
    const quantity = parseQuantity(line.quantity);
    if (!quantity.ok) problems[`lines.${index}.quantity`] = quantity.message;
    const level = line.levels.find((candidate) => candidate.unitLevelId === line.unitLevelId);
    if (!level) problems[`lines.${index}.unitLevelId`] = 'Pick a unit.';
    let unitCostMinor: number | undefined;
    if (line.unitCost.trim() !== '') {
      const cost = parseMoney(line.unitCost, currency);
      if (cost.ok) unitCostMinor = cost.value;
      else problems[`lines.${index}.unitCostMinor`] = cost.message;
    } else if (level && level.buyPriceMinor === null) {
      problems[`lines.${index}.unitCostMinor`] = 'This unit has no buy price in the catalogue: enter the cost.';
    }
    return {
      productId: line.productId,
      unitLevelId: line.unitLevelId,
      quantity: quantity.ok ? quantity.value : 0,
      ...(unitCostMinor !== undefined ? { unitCostMinor } : {}),
    };
  });
  if (Object.keys(problems).length > 0) return { problems };
  return { body: { supplierName, ...(supplierReference ? { supplierReference } : {}), lines }, problems };
}

/** What the purchase will cost, as far as the form knows (the server prices it). */
export function draftTotal(draft: PurchaseDraft, currency: string): number | null {
  let total = 0;
  for (const line of draft.lines) {
    const quantity = parseQuantity(line.quantity);
    const level = line.levels.find((candidate) => candidate.unitLevelId === line.unitLevelId);
    const typed = line.unitCost.trim() === '' ? undefined : parseMoney(line.unitCost, currency);
    const cost = typed ? (typed.ok ? typed.value : null) : (level?.buyPriceMinor ?? null);
    if (!quantity.ok || cost === null) return null;
    total += quantity.value * cost;
  }
  return total;
}
