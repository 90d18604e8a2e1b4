import { failures } from './failures';
import { isWhole, largestWhole } from './quantity';
import { toBaseQuantity, type ProductUnitLevel } from './unit-level';

/** Why stock changed. Every change is a movement, so stock always equals the sum of its movements. */
export type MovementReason =
  'purchase' | 'sale_reservation' | 'reservation_release' | 'sale_return' | 'manual_adjustment';

/** A product's stock as read under its row lock. */
export interface StockLevel {
  productId: string;
  /** The product's SKU and name, read with the lock, for the low-stock event. */
  sku: string;
  name: string;
  /** Base units on hand, not counting what open reservations took. */
  quantity: number;
  /** Base units open reservations hold: taken from `quantity`, not yet sold or given back. */
  reserved: number;
  lowStockThreshold: number;
  active: boolean;
}

export interface StockMovement {
  productId: string;
  delta: number;
  balanceAfter: number;
  reason: MovementReason;
  /** The sale or purchase that caused it; null for a manual adjustment. */
  reference: string | null;
  note: string | null;
  occurredAt: Date;
}

export interface MovementResult {
  level: StockLevel;
  movement: StockMovement;
  /** True when this movement took stock from above its threshold to at or below it. */
  crossedLow: boolean;
}

export interface StockChange {
  delta: number;
  /** How the reserved units change with it: a reservation takes stock into them, a release gives it back. */
  reservedDelta?: number;
  reason: MovementReason;
  reference?: string | null;
  note?: string | null;
}

export function move(level: StockLevel, change: StockChange, now: Date): MovementResult {
  if (!isWhole(Math.abs(change.delta), 1)) {
    throw failures.invalidField('delta', 'Must be a whole, non-zero number of base units.');
  }
  const balanceAfter = level.quantity + change.delta;
  if (balanceAfter < 0) throw failures.insufficientStock(level.quantity, -change.delta);
  if (balanceAfter > largestWhole) throw failures.stockTooLarge();
  return {
    level: { ...held(level, change.reservedDelta ?? 0), quantity: balanceAfter },
    movement: {
      productId: level.productId,
      delta: change.delta,
      balanceAfter,
      reason: change.reason,
      reference: change.reference ?? null,
      note: change.note ?? null,
      occurredAt: now,
    },
    crossedLow: crossedLow(level.lowStockThreshold, level.quantity, balanceAfter),
  };
}

/**
 * The level with `delta` more base units held by open reservations. Reservations only ever give
 * back what they took, so going below zero is a bug in the caller, not a user's mistake.
 */
export function held(level: StockLevel, delta: number): StockLevel {
  const reserved = level.reserved + delta;
  if (reserved < 0) throw new Error(`product ${level.productId} would hold ${reserved} reserved units`);
  return { ...level, reserved };
}

export function crossedLow(threshold: number, before: number, after: number): boolean {
  return before > threshold && after <= threshold;
}

export interface RequestedLine {
  productId: string;
  unitLevelId: string;
  quantity: number;
}

export interface ReservedLine extends RequestedLine {
  baseQuantity: number;
}

type ShortageReason =
  'INSUFFICIENT_STOCK' | 'UNKNOWN_PRODUCT' | 'INACTIVE_PRODUCT' | 'UNKNOWN_UNIT_LEVEL' | 'INVALID_QUANTITY';

export interface Shortage {
  productId: string;
  unitLevelId: string;
  /** Base units the line asked for (0 when its unit level is unknown). */
  requested: number;
  /** Base units on hand for the product (0 when the product is unknown). */
  available: number;
  reason: ShortageReason;
}

type ReservationPlan =
  { kind: 'reserve'; lines: ReservedLine[]; demand: Map<string, number> } | { kind: 'reject'; shortages: Shortage[] };

/** Base units per product over lines in any unit level. */
export function baseUnitsByProduct(
  lines: ReadonlyArray<{ productId: string; baseQuantity: number }>,
): Map<string, number> {
  const total = new Map<string, number>();
  for (const line of lines) total.set(line.productId, (total.get(line.productId) ?? 0) + line.baseQuantity);
  return total;
}

/**
 * Decides a sale's reservation as a whole: every line converted to base units through its unit
 * level, demand summed per product (two lines may name one product), and either all lines fit
 * or none is taken. `stock` must hold the rows locked for this decision.
 */
export function planReservation(
  lines: readonly RequestedLine[],
  levels: ReadonlyMap<string, ProductUnitLevel>,
  stock: ReadonlyMap<string, StockLevel>,
): ReservationPlan {
  const shortages: Shortage[] = [];
  const reserved: ReservedLine[] = [];
  for (const line of lines) {
    const level = stock.get(line.productId);
    const unitLevel = levels.get(line.unitLevelId);
    const available = level?.quantity ?? 0;
    const reject = (reason: ShortageReason, requested = 0) =>
      shortages.push({ productId: line.productId, unitLevelId: line.unitLevelId, requested, available, reason });
    if (!level) reject('UNKNOWN_PRODUCT');
    else if (!level.active) reject('INACTIVE_PRODUCT');
    else if (!unitLevel || unitLevel.productId !== line.productId) reject('UNKNOWN_UNIT_LEVEL');
    else {
      const baseQuantity = toBaseQuantity(line.quantity, unitLevel.factor);
      if (baseQuantity === undefined) {
        reject('INVALID_QUANTITY');
        continue;
      }
      reserved.push({ ...line, baseQuantity });
    }
  }
  const demand = baseUnitsByProduct(reserved);
  for (const line of reserved) {
    const available = stock.get(line.productId)?.quantity ?? 0;
    if ((demand.get(line.productId) ?? 0) > available) {
      shortages.push({
        productId: line.productId,
        unitLevelId: line.unitLevelId,
        requested: line.baseQuantity,
        available,
        reason: 'INSUFFICIENT_STOCK',
      });
    }
  }
  if (lines.length === 0) return { kind: 'reject', shortages: [] };
  return shortages.length > 0 ? { kind: 'reject', shortages } : { kind: 'reserve', lines: reserved, demand };
}

/** What products remembers about a sale, so a release returns exactly what was taken, once. */
export interface StockReservation {
  saleId: string;
  /** reserved → confirmed (the sale is final) or released; rejected and released are final. */
  status: 'reserved' | 'confirmed' | 'rejected' | 'released';
  lines: ReservedLine[];
  createdAt: Date;
  updatedAt: Date;
}

/** What products remembers of one return of a sale, so it is applied once and never exceeds the sale. */
export interface SaleReturn {
  returnId: string;
  saleId: string;
  lines: ReservedLine[];
}

type ReturnPlan =
  | { kind: 'return'; lines: ReservedLine[]; supply: Map<string, number> }
  /** The line names no product and unit level the sale took, or a quantity that cannot be counted. */
  | { kind: 'not-in-sale'; productId: string; unitLevelId: string }
  /** With earlier returns, more of the line would come back than the sale took. */
  | { kind: 'more-than-sold'; productId: string; unitLevelId: string }
  | { kind: 'no-lines' };

/**
 * Converts a return's lines to base units with the factor the sale was reserved at (its
 * reservation lines' base over their quantity), so stock gets back exactly what it gave, and
 * refuses a line that the sale did not take or that, with earlier returns, exceeds what it took.
 */
export function planReturn(
  reserved: readonly ReservedLine[],
  earlier: readonly ReservedLine[],
  lines: readonly RequestedLine[],
): ReturnPlan {
  const key = (line: { productId: string; unitLevelId: string }) => `${line.productId} ${line.unitLevelId}`;
  const tally = (into: Map<string, { quantity: number; base: number }>, line: ReservedLine) => {
    const sum = into.get(key(line)) ?? { quantity: 0, base: 0 };
    into.set(key(line), { quantity: sum.quantity + line.quantity, base: sum.base + line.baseQuantity });
  };
  const sold = new Map<string, { quantity: number; base: number }>();
  const back = new Map<string, { quantity: number; base: number }>();
  for (const line of reserved) tally(sold, line);
  for (const line of earlier) tally(back, line);
  const refuse = (kind: 'not-in-sale' | 'more-than-sold', line: RequestedLine) =>
    ({ kind, productId: line.productId, unitLevelId: line.unitLevelId }) as const;
  const planned: ReservedLine[] = [];
  for (const line of lines) {
    const taken = sold.get(key(line));
    const baseQuantity = taken && toBaseQuantity(line.quantity, taken.base / taken.quantity);
    if (!taken || baseQuantity === undefined) return refuse('not-in-sale', line);
    const returned = {
      productId: line.productId,
      unitLevelId: line.unitLevelId,
      quantity: line.quantity,
      baseQuantity,
    };
    tally(back, returned);
    if (back.get(key(line))!.quantity > taken.quantity) return refuse('more-than-sold', line);
    planned.push(returned);
  }
  if (planned.length === 0) return { kind: 'no-lines' };
  return { kind: 'return', lines: planned, supply: baseUnitsByProduct(planned) };
}
