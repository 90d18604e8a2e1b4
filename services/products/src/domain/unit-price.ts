import { failures } from './failures';
import { checkWhole } from './quantity';

/**
 * A sell and buy price for one unit level from `effectiveFrom` on. Prices are never overwritten
 * once effective: a new row supersedes the old one, so history stays and the current price is
 * derived (the latest row that has taken effect).
 */
export interface ProductUnitPrice {
  id: string;
  productId: string;
  unitLevelId: string;
  /** Minor units (cents): exact integer arithmetic, no floating point. */
  sellPrice: number;
  buyPrice: number;
  currency: string;
  effectiveFrom: Date;
  createdAt: Date;
}

interface PriceInput {
  productId: string;
  unitLevelId: string;
  sellPrice: number;
  buyPrice: number;
  currency: string;
  effectiveFrom?: Date;
}

export type PriceChanges = Partial<Pick<PriceInput, 'sellPrice' | 'buyPrice' | 'effectiveFrom'>>;

export function newPrice(id: string, input: PriceInput, now: Date): ProductUnitPrice {
  checkMoney('sellPrice', input.sellPrice);
  checkMoney('buyPrice', input.buyPrice);
  if (!/^[A-Z]{3}$/.test(input.currency))
    throw failures.invalidField('currency', 'Must be an ISO 4217 code such as EUR.');
  return { id, ...input, effectiveFrom: input.effectiveFrom ?? now, createdAt: now };
}

/** Only a price that has not taken effect yet may change: an effective one is history. */
export function changePrice(price: ProductUnitPrice, changes: PriceChanges, now: Date): ProductUnitPrice {
  if (isEffective(price, now)) throw failures.priceAlreadyEffective();
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  return newPrice(price.id, { ...price, ...defined }, price.createdAt);
}

export function isEffective(price: ProductUnitPrice, now: Date): boolean {
  return price.effectiveFrom.getTime() <= now.getTime();
}

/** The price in force per unit level at `now`: the latest effective one, ties broken by creation. */
export function currentPrices(prices: readonly ProductUnitPrice[], now: Date): ProductUnitPrice[] {
  const current = new Map<string, ProductUnitPrice>();
  for (const price of prices) {
    if (!isEffective(price, now)) continue;
    const held = current.get(price.unitLevelId);
    if (!held || compare(price, held) > 0) current.set(price.unitLevelId, price);
  }
  return [...current.values()];
}

function compare(a: ProductUnitPrice, b: ProductUnitPrice): number {
  return a.effectiveFrom.getTime() - b.effectiveFrom.getTime() || a.createdAt.getTime() - b.createdAt.getTime();
}

function checkMoney(field: string, value: number): void {
  checkWhole(field, value, 0, 'Must be a whole amount in minor units (cents), zero or more.');
}
