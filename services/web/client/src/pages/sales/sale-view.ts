// How a sale reads to a person: its shortages in the units the cashier sold, what may still be done.
import type { Sale } from './api-types';

/**
 * A shortage in words, with the product's name from the sale's lines and its base unit from
 * `baseUnit` (the till knows it) or a line of factor 1, else "base units".
 */
export function shortageText(
  sale: Sale,
  shortage: { productId: string; requestedBase: number; availableBase: number },
  baseUnit?: string,
) {
  const lines = sale.lines.filter((line) => line.productId === shortage.productId);
  const name = lines[0]?.productName ?? 'A product';
  const unit = baseUnit ?? lines.find((line) => line.conversionFactor === 1)?.unitName ?? 'base units';
  return `${name}: ${shortage.requestedBase} ${unit} asked, ${Math.max(0, shortage.availableBase)} ${unit} in stock`;
}

/** Pending and confirmed sales can be cancelled (products releases or restores the stock). */
export const canCancel = (sale: Sale) => sale.status === 'pending' || sale.status === 'confirmed';

/** Lines that still have something to return. */
export const returnable = (sale: Sale) =>
  sale.status === 'confirmed' ? sale.lines.filter((line) => line.returnedQuantity < line.quantity) : [];

/** Products' rejection reasons (lower-case, dashed) in words. */
const rejectionTexts: Record<string, string> = {
  'insufficient-stock': 'Not enough stock.',
  'unknown-product': 'A product is no longer in the catalogue.',
  'inactive-product': 'A product is not for sale any more.',
  'unknown-unit-level': "A unit is no longer one of the product's units.",
  'invalid-quantity': 'A quantity could not be reserved.',
  'no-lines': 'The sale had no lines.',
};

export const rejectionText = (reason: string) => rejectionTexts[reason] ?? `Refused by the stock: ${reason}.`;
