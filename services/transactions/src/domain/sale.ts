// A sale and its state machine: pending → confirmed | rejected | cancelled, confirmed → cancelled
// (until something came back), and the arithmetic of its totals, discounts and returns. Every
// amount is an integer count of minor units; every quantity an integer count of its unit level.
import type { FieldProblem } from '@tulity/adapters/core/failure';
import { resolveLines, sellPriceOf, type CatalogueProduct, type NamedLine } from './catalogue';
import { failures } from './failures';
import { maxSafeMinor, share, times } from './money';

export const saleStatuses = ['pending', 'confirmed', 'rejected', 'cancelled'] as const;
export type SaleStatus = (typeof saleStatuses)[number];
export const paymentMethods = ['cash', 'card', 'other'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** Who cancels a sale whose stock never answered in time. */
export const systemActorId = 'system';

export type Discount = { kind: 'amount'; minor: number } | { kind: 'percent'; basisPoints: number };

export interface SaleLine {
  id: string;
  productId: string;
  unitLevelId: string;
  sku: string;
  productName: string;
  unitName: string;
  quantity: number;
  conversionFactor: number;
  baseQuantity: number;
  unitPriceMinor: number;
  /** quantity × unit price, before the discount. */
  grossMinor: number;
  discountMinor: number;
  /** grossMinor − discountMinor: what the customer pays for the line. */
  lineTotalMinor: number;
  returnedQuantity: number;
  refundedMinor: number;
}

export interface Shortage {
  productId: string;
  requestedBase: number;
  availableBase: number;
}

export interface Sale {
  id: string;
  cashierId: string;
  status: SaleStatus;
  currency: string;
  lines: SaleLine[];
  totalMinor: number;
  discountMinor: number;
  note: string | null;
  paymentMethod: PaymentMethod | null;
  amountTenderedMinor: number | null;
  changeMinor: number | null;
  rejection: { reason: string; shortages: Shortage[] } | null;
  cancellation: { by: string; reason: string | null } | null;
  refundedMinor: number;
  /** A sale still pending then is cancelled by the service. */
  deadlineAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface SaleRequestLine extends NamedLine {
  discount?: Discount;
}

export interface NewSale {
  id: string;
  cashierId: string;
  currency: string;
  lines: SaleRequestLine[];
  note?: string | null;
  paymentMethod?: PaymentMethod | null;
  amountTenderedMinor?: number | null;
  now: Date;
  /** How long the sale may wait for its stock before the service cancels it. */
  deadlineMs: number;
  newId(): string;
}

/** The discount of a line in minor units: a percentage rounds half up to the minor unit. */
export function discountOf(grossMinor: number, discount: Discount | undefined): number {
  if (!discount) return 0;
  return discount.kind === 'amount' ? discount.minor : share(grossMinor, discount.basisPoints, 10_000);
}

/**
 * Prices a new sale from the read model (never from the client), checks payment, and returns it
 * pending. Throws one failure naming every unusable line, or the first amount problem.
 */
export function newSale(input: NewSale, products: Map<string, CatalogueProduct>): Sale {
  const resolved = resolveLines(input.lines, products, 'sale');
  const unpriced: FieldProblem[] = [];
  resolved.forEach(({ level }, index) => {
    if (sellPriceOf(level, input.currency) === null) {
      unpriced.push({
        field: `lines.${index}.unitLevelId`,
        message: `The unit level has no selling price in ${input.currency}.`,
      });
    }
  });
  if (unpriced.length > 0) throw failures.linesUnusable(unpriced);

  const lines = resolved.map(({ product, level }, index): SaleLine => {
    const requested = input.lines[index]!;
    const unitPriceMinor = sellPriceOf(level, input.currency)!;
    const grossMinor = times(requested.quantity, unitPriceMinor);
    const baseQuantity = times(requested.quantity, level.conversionFactor);
    if (grossMinor === undefined || baseQuantity === undefined) throw failures.totalTooLarge();
    const discountMinor = discountOf(grossMinor, requested.discount);
    if (discountMinor > grossMinor) throw failures.discountTooLarge(`lines.${index}.discount`);
    return {
      id: input.newId(),
      productId: product.id,
      unitLevelId: level.id,
      sku: product.sku,
      productName: product.name,
      unitName: level.unitName,
      quantity: requested.quantity,
      conversionFactor: level.conversionFactor,
      baseQuantity,
      unitPriceMinor,
      grossMinor,
      discountMinor,
      lineTotalMinor: grossMinor - discountMinor,
      returnedQuantity: 0,
      refundedMinor: 0,
    };
  });
  const totalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  if (totalMinor > maxSafeMinor) throw failures.totalTooLarge();

  const paymentMethod = input.paymentMethod ?? null;
  const tendered = input.amountTenderedMinor ?? null;
  if (tendered !== null && paymentMethod !== 'cash') throw failures.tenderedNotCash();
  if (tendered !== null && tendered < totalMinor) throw failures.tenderedTooLittle();

  return {
    id: input.id,
    cashierId: input.cashierId,
    status: 'pending',
    currency: input.currency,
    lines,
    totalMinor,
    discountMinor: lines.reduce((sum, line) => sum + line.discountMinor, 0),
    note: input.note ?? null,
    paymentMethod,
    amountTenderedMinor: tendered,
    changeMinor: tendered === null ? null : tendered - totalMinor,
    rejection: null,
    cancellation: null,
    refundedMinor: 0,
    deadlineAt: new Date(input.now.getTime() + input.deadlineMs),
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** What products answered for the sale's stock. */
export type StockOutcome = { kind: 'reserved' } | { kind: 'rejected'; reason: string; shortages: Shortage[] };

/**
 * Applies products' answer. Only a pending sale moves; in any other state the answer is late or
 * redelivered and changes nothing (undefined). A reservation that arrives after a cancellation is
 * released by products itself, since it saw the SaleCancelled after the SaleRequested.
 */
export function settle(sale: Sale, outcome: StockOutcome, at: Date): Sale | undefined {
  if (sale.status !== 'pending') return undefined;
  if (outcome.kind === 'reserved') return { ...sale, status: 'confirmed', updatedAt: at };
  return {
    ...sale,
    status: 'rejected',
    rejection: { reason: outcome.reason, shortages: outcome.shortages },
    updatedAt: at,
  };
}

/** A person cancels a pending or confirmed sale; once goods came back, only returns remain. */
export function cancel(sale: Sale, by: string, reason: string | null, at: Date): Sale {
  if (sale.status !== 'pending' && sale.status !== 'confirmed') throw failures.notCancellable(sale.status);
  if (sale.lines.some((line) => line.returnedQuantity > 0)) throw failures.returnedNotCancellable();
  return { ...sale, status: 'cancelled', cancellation: { by, reason }, updatedAt: at };
}

/** The deadline passed: a sale still pending is cancelled by the service; any other is left alone. */
export function expire(sale: Sale, at: Date): Sale | undefined {
  if (sale.status !== 'pending' || at < sale.deadlineAt) return undefined;
  return {
    ...sale,
    status: 'cancelled',
    cancellation: { by: systemActorId, reason: 'deadline passed without a stock reservation' },
    updatedAt: at,
  };
}

export interface ReturnRequestLine {
  saleLineId: string;
  quantity: number;
}

export interface ReturnedLine {
  saleLineId: string;
  productId: string;
  unitLevelId: string;
  quantity: number;
  conversionFactor: number;
  baseQuantity: number;
  refundMinor: number;
}

export interface SaleReturn {
  id: string;
  saleId: string;
  returnedBy: string;
  reason: string | null;
  lines: ReturnedLine[];
  refundMinor: number;
  createdAt: Date;
}

/**
 * The refund for bringing back `quantity` more of a line: the line total's share of everything
 * returned so far minus what was refunded before. Shares round half up, so refunds of a line in
 * any number of steps add up to its total exactly when all of it came back.
 */
export function refundFor(line: SaleLine, quantity: number): number {
  return share(line.lineTotalMinor, line.returnedQuantity + quantity, line.quantity) - line.refundedMinor;
}

/**
 * Some or all of a confirmed sale's lines come back; never more than was sold, counting earlier
 * returns. Returns the sale with its counters raised and the return record.
 */
export function returnGoods(
  sale: Sale,
  input: { id: string; by: string; reason: string | null; lines: ReturnRequestLine[]; at: Date },
): { sale: Sale; saleReturn: SaleReturn } {
  if (sale.status !== 'confirmed') throw failures.notReturnable(sale.status);
  const lines = new Map(sale.lines.map((line) => [line.id, { ...line }]));
  const seen = new Set<string>();
  const returned = input.lines.map((requested, index): ReturnedLine => {
    const field = `lines.${index}`;
    const line = lines.get(requested.saleLineId);
    if (!line) throw failures.returnUnknownLine(`${field}.saleLineId`);
    if (seen.has(line.id)) throw failures.returnDuplicateLine(`${field}.saleLineId`);
    seen.add(line.id);
    const left = line.quantity - line.returnedQuantity;
    if (requested.quantity > left) throw failures.returnTooMuch(`${field}.quantity`, left);
    const refundMinor = refundFor(line, requested.quantity);
    line.returnedQuantity += requested.quantity;
    line.refundedMinor += refundMinor;
    return {
      saleLineId: line.id,
      productId: line.productId,
      unitLevelId: line.unitLevelId,
      quantity: requested.quantity,
      conversionFactor: line.conversionFactor,
      baseQuantity: requested.quantity * line.conversionFactor,
      refundMinor,
    };
  });
  const refundMinor = returned.reduce((sum, line) => sum + line.refundMinor, 0);
  return {
    sale: {
      ...sale,
      lines: sale.lines.map((line) => lines.get(line.id)!),
      refundedMinor: sale.refundedMinor + refundMinor,
      updatedAt: input.at,
    },
    saleReturn: {
      id: input.id,
      saleId: sale.id,
      returnedBy: input.by,
      reason: input.reason,
      lines: returned,
      refundMinor,
      createdAt: input.at,
    },
  };
}

/** Cashiers see their own sales; managers and admins see every sale. */
export const canSee = (actor: { userId: string; role: string }, sale: Pick<Sale, 'cashierId'>): boolean =>
  actor.role !== 'cashier' || sale.cashierId === actor.userId;
