// Stock is kept in base units; people count boxes and pieces, so the product page shows both.

export interface LevelOfStock {
  factor: number;
  unitAbbreviation: string;
}

/** A base quantity in the product's levels, largest first: 29 with box = 12 → "2 box + 5 pc". */
export function inLevels(quantity: number, levels: readonly LevelOfStock[]): string {
  const ordered = [...levels].sort((a, b) => b.factor - a.factor);
  const base = ordered.find((level) => level.factor === 1);
  const parts: string[] = [];
  let rest = quantity;
  for (const level of ordered) {
    const count = Math.floor(rest / level.factor);
    if (count > 0) parts.push(`${count} ${level.unitAbbreviation}`);
    rest -= count * level.factor;
  }
  return parts.length === 0 ? `0 ${base?.unitAbbreviation ?? ''}`.trim() : parts.join(' + ');
}

/** What caused a line of the stock ledger, as the ledger shows it. */
export const movementLabels: Record<string, string> = {
  purchase: 'Purchase',
  sale_reservation: 'Sale',
  reservation_release: 'Sale cancelled or rejected',
  sale_return: 'Return',
  manual_adjustment: 'Manual adjustment',
};

/** "+12" or "−3": the sign is what a ledger reader looks for first. */
export const signed = (delta: number) => (delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`);

/** The page a ledger line's reference opens: the purchase or the sale that moved the stock. */
export function movementLink(reason: string, reference: string | null): string | undefined {
  if (reference === null || !/^[0-9a-f-]{36}$/i.test(reference)) return undefined;
  if (reason === 'purchase') return `/purchases/${reference}`;
  if (reason === 'sale_reservation' || reason === 'reservation_release' || reason === 'sale_return')
    return `/sales/${reference}`;
  return undefined;
}

/** A unit level as lists name it: "Box (12 pc)", or "Piece (base unit)". */
export function levelName(
  level: { unitName: string; factor: number; isBase: boolean },
  baseAbbreviation: string,
): string {
  return level.isBase ? `${level.unitName} (base unit)` : `${level.unitName} (${level.factor} ${baseAbbreviation})`;
}
