// The point of sale's cart: lines, unit levels, discounts, totals and change, all in integer minor
// units. The till shows these figures before the server answers, so the arithmetic is the server's
// own (services/transactions/src/domain/sale.ts): quantity × level price, a percentage rounded half
// up to the minor unit, the change as tendered − total. The server still prices the sale itself.
import { minorDigits } from '../../ui/format';

/** A discount as the sale API takes it: an amount, or a percentage in hundredths of a percent. */
export type LineDiscount = { kind: 'amount'; minor: number } | { kind: 'percent'; basisPoints: number };

export interface CartLevel {
  unitLevelId: string;
  unitName: string;
  /** Base units in one of this level. */
  factor: number;
  /** The current selling price in the cart's currency; null when the level has none. */
  priceMinor: number | null;
}

export interface CartProduct {
  productId: string;
  sku: string;
  name: string;
  levels: CartLevel[];
  /** On hand in base units when the product was looked up: a hint, products decides. */
  stockBase: number;
}

export interface CartLine {
  /** Stays with the line when its level or quantity changes, so a screen can keep its drafts by it. */
  key: number;
  product: CartProduct;
  unitLevelId: string;
  quantity: number;
  discount: LineDiscount | null;
}

export interface Cart {
  currency: string;
  lines: CartLine[];
  nextKey: number;
}

export interface PricedLine {
  level: CartLevel | undefined;
  unitPriceMinor: number | null;
  grossMinor: number;
  discountMinor: number;
  totalMinor: number;
  baseQuantity: number;
  /** Why the line cannot be sent as it is; empty when it can. */
  problems: string[];
}

export interface CartTotals {
  lines: PricedLine[];
  grossMinor: number;
  discountMinor: number;
  totalMinor: number;
  /** Products whose lines ask for more base units than were on hand when looked up. */
  shortages: { productId: string; name: string; requestedBase: number; availableBase: number }[];
}

/** The sale API's bounds (services/transactions/src/adapters/http/schemas.ts). */
export const maxQuantity = 1_000_000;
export const maxLines = 100;
const maxMinor = 1_000_000_000_000;

export const emptyCart = (currency: string): Cart => ({ currency, lines: [], nextKey: 1 });

/** amount × numerator / denominator, rounded half up, exact for any safe integer (as the server does it). */
export function share(amount: number, numerator: number, denominator: number): number {
  const scaled = BigInt(amount) * BigInt(numerator) * 2n + BigInt(denominator);
  return Number(scaled / (2n * BigInt(denominator)));
}

/** The level a product is sold in when nothing else is asked: the smallest one with a price. */
export function defaultLevel(product: CartProduct): CartLevel | undefined {
  const priced = product.levels.filter((level) => level.priceMinor !== null);
  return [...(priced.length > 0 ? priced : product.levels)].sort((a, b) => a.factor - b.factor)[0];
}

/**
 * Adds `quantity` of a product in a level (by default its smallest priced one). The same product in
 * the same level adds to its line, so scanning an item twice makes a line of two.
 */
export function addProduct(cart: Cart, product: CartProduct, unitLevelId?: string, quantity = 1): Cart {
  const levelId = unitLevelId ?? defaultLevel(product)?.unitLevelId;
  if (levelId === undefined) return cart;
  const at = cart.lines.findIndex(
    (line) => line.product.productId === product.productId && line.unitLevelId === levelId,
  );
  if (at === -1) {
    return {
      ...cart,
      lines: [...cart.lines, { key: cart.nextKey, product, unitLevelId: levelId, quantity, discount: null }],
      nextKey: cart.nextKey + 1,
    };
  }
  return updateLine(cart, at, (line) => ({ ...line, product, quantity: line.quantity + quantity }));
}

function updateLine(cart: Cart, index: number, change: (line: CartLine) => CartLine): Cart {
  return { ...cart, lines: cart.lines.map((line, at) => (at === index ? change(line) : line)) };
}

export const setQuantity = (cart: Cart, index: number, quantity: number) =>
  updateLine(cart, index, (line) => ({ ...line, quantity }));

/** Another level for the line; a percentage discount stays, an amount may now be too large (shown as a problem). */
export const setLevel = (cart: Cart, index: number, unitLevelId: string) =>
  updateLine(cart, index, (line) => ({ ...line, unitLevelId }));

export const setDiscount = (cart: Cart, index: number, discount: LineDiscount | null) =>
  updateLine(cart, index, (line) => ({ ...line, discount }));

export const removeLine = (cart: Cart, index: number): Cart => ({
  ...cart,
  lines: cart.lines.filter((_, at) => at !== index),
});

export function priceLine(line: CartLine): PricedLine {
  const level = line.product.levels.find((candidate) => candidate.unitLevelId === line.unitLevelId);
  const problems: string[] = [];
  if (!level) problems.push('Pick a unit.');
  else if (level.priceMinor === null) problems.push(`${level.unitName} has no selling price.`);
  if (!Number.isInteger(line.quantity) || line.quantity < 1)
    problems.push('The quantity must be a whole number of 1 or more.');
  else if (line.quantity > maxQuantity) problems.push(`At most ${maxQuantity} per line.`);
  const unitPriceMinor = level?.priceMinor ?? null;
  const quantity = Number.isInteger(line.quantity) && line.quantity > 0 ? line.quantity : 0;
  const grossMinor = unitPriceMinor === null ? 0 : quantity * unitPriceMinor;
  let discountMinor = 0;
  const { discount } = line;
  if (discount?.kind === 'amount') {
    if (Number.isInteger(discount.minor) && discount.minor >= 0) discountMinor = discount.minor;
    else problems.push('The discount is not a valid amount.');
  }
  if (discount?.kind === 'percent') {
    if (Number.isInteger(discount.basisPoints) && discount.basisPoints >= 0 && discount.basisPoints <= 10_000) {
      discountMinor = share(grossMinor, discount.basisPoints, 10_000);
    } else problems.push('The discount is not a valid percentage.');
  }
  if (discountMinor > grossMinor) problems.push('The discount is larger than the line.');
  if (grossMinor > maxMinor) problems.push('The line is too large.');
  return {
    level,
    unitPriceMinor,
    grossMinor,
    discountMinor: Math.min(discountMinor, grossMinor),
    totalMinor: grossMinor - Math.min(discountMinor, grossMinor),
    baseQuantity: quantity * (level?.factor ?? 0),
    problems,
  };
}

export function totalsOf(cart: Cart): CartTotals {
  const lines = cart.lines.map(priceLine);
  const requested = new Map<string, { name: string; base: number; available: number }>();
  cart.lines.forEach((line, index) => {
    const seen = requested.get(line.product.productId);
    const base = (seen?.base ?? 0) + lines[index]!.baseQuantity;
    requested.set(line.product.productId, { name: line.product.name, base, available: line.product.stockBase });
  });
  return {
    lines,
    grossMinor: lines.reduce((sum, line) => sum + line.grossMinor, 0),
    discountMinor: lines.reduce((sum, line) => sum + line.discountMinor, 0),
    totalMinor: lines.reduce((sum, line) => sum + line.totalMinor, 0),
    shortages: [...requested]
      .filter(([, seen]) => seen.base > seen.available)
      .map(([productId, seen]) => ({
        productId,
        name: seen.name,
        requestedBase: seen.base,
        availableBase: seen.available,
      })),
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Money typed by a person ("12", "12.5", "12,50") → integer minor units, without going through a
 * binary float (0.1 + 0.2 must not become 0.30000000000000004).
 */
export function parseMoney(text: string, currency: string): Parsed<number> {
  const digits = minorDigits(currency);
  const trimmed = text.trim().replace(',', '.');
  const pattern = digits === 0 ? /^(\d{1,13})$/ : new RegExp(`^(\\d{1,13})(?:\\.(\\d{1,${digits}}))?$`);
  const match = pattern.exec(trimmed);
  if (!match) {
    return {
      ok: false,
      message: digits === 0 ? 'Enter a whole amount.' : `Enter an amount such as 12.50 (at most ${digits} decimals).`,
    };
  }
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(digits, '0') || '0');
  const value = whole * 10 ** digits + fraction;
  if (value > maxMinor) return { ok: false, message: 'The amount is too large.' };
  return { ok: true, value };
}

/** A percentage with at most two decimals → basis points (hundredths of a percent). */
export function parsePercent(text: string): Parsed<number> {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(',', '.'));
  if (!match) return { ok: false, message: 'Enter a percentage such as 10 or 12.5.' };
  const value = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0');
  if (value > 10_000) return { ok: false, message: 'At most 100%.' };
  return { ok: true, value };
}

/** A quantity typed by a person: a whole number within the sale API's bounds. */
export function parseQuantity(text: string): Parsed<number> {
  if (!/^\d{1,7}$/.test(text.trim())) return { ok: false, message: 'Enter a whole number.' };
  const value = Number(text.trim());
  if (value < 1) return { ok: false, message: 'At least 1.' };
  if (value > maxQuantity) return { ok: false, message: `At most ${maxQuantity}.` };
  return { ok: true, value };
}

export type PaymentMethod = 'cash' | 'card' | 'other';

export interface Payment {
  method: PaymentMethod;
  /** Cash handed over; only for cash. */
  tenderedMinor: number | null;
}

/** The change to give back, or how much is still missing (negative); null when nothing was tendered. */
export function changeOf(totalMinor: number, payment: Payment): number | null {
  if (payment.method !== 'cash' || payment.tenderedMinor === null) return null;
  return payment.tenderedMinor - totalMinor;
}

export interface SaleRequest {
  lines: {
    productId: string;
    unitLevelId: string;
    quantity: number;
    discountMinor?: number;
    discountPercent?: number;
  }[];
  paymentMethod: PaymentMethod;
  amountTenderedMinor: number | null;
  note?: string;
}

/**
 * The body of `POST /sales`, or the reasons the cart cannot be sent yet (checked before sending,
 * so the cashier sees them at once, the server still checks them all).
 */
export function saleRequestOf(cart: Cart, payment: Payment, note = ''): Parsed<SaleRequest> {
  if (cart.lines.length === 0) return { ok: false, message: 'The cart is empty.' };
  if (cart.lines.length > maxLines) return { ok: false, message: `At most ${maxLines} lines per sale.` };
  const totals = totalsOf(cart);
  const problem = totals.lines.findIndex((line) => line.problems.length > 0);
  if (problem !== -1) return { ok: false, message: `Line ${problem + 1}: ${totals.lines[problem]!.problems[0]}` };
  const change = changeOf(totals.totalMinor, payment);
  if (change !== null && change < 0) return { ok: false, message: 'The cash tendered is less than the total.' };
  if (note.length > 500) return { ok: false, message: 'The note is longer than 500 characters.' };
  return {
    ok: true,
    value: {
      lines: cart.lines.map((line) => ({
        productId: line.product.productId,
        unitLevelId: line.unitLevelId,
        quantity: line.quantity,
        ...(line.discount?.kind === 'amount' ? { discountMinor: line.discount.minor } : {}),
        ...(line.discount?.kind === 'percent' ? { discountPercent: line.discount.basisPoints / 100 } : {}),
      })),
      paymentMethod: payment.method,
      amountTenderedMinor: payment.method === 'cash' ? payment.tenderedMinor : null,
      ...(note.trim() ? { note: note.trim() } : {}),
    },
  };
}
