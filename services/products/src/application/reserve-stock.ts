import { planReservation, type RequestedLine, type Shortage } from '../domain/stock';
import type { Context, Tx } from './ports';
import { applyMovement } from './stock-movements';

export interface ReserveStock {
  saleId: string;
  lines: RequestedLine[];
}

export type ReserveOutcome =
  | { kind: 'reserved' }
  | { kind: 'rejected'; shortages: Shortage[] }
  | { kind: 'already-handled' };

/**
 * All or nothing for one sale, in the caller's transaction: lock the stock rows (sorted, so two
 * sales never deadlock), decide, then record the sale's outcome. The outcome row is keyed by sale
 * id, so a second "sale requested" for the same sale — redelivered or re-sent — changes nothing.
 */
export async function reserveStock(tx: Tx, ctx: Context, command: ReserveStock): Promise<ReserveOutcome> {
  const productIds = [...new Set(command.lines.map((line) => line.productId))];
  const stock = await tx.stock.lock(productIds);
  const levels = await tx.levels.findMany(command.lines.map((line) => line.unitLevelId));
  const plan = planReservation(command.lines, levels, stock);
  const now = ctx.occurredAt;

  if (plan.kind === 'reject') {
    const fresh = await tx.reservations.insertIfAbsent({ saleId: command.saleId, status: 'rejected', lines: [], createdAt: now, updatedAt: now });
    if (!fresh) return { kind: 'already-handled' };
    await tx.events.record([{ type: 'StockReservationRejected', saleId: command.saleId, shortages: plan.shortages }], ctx);
    return { kind: 'rejected', shortages: plan.shortages };
  }

  const fresh = await tx.reservations.insertIfAbsent({ saleId: command.saleId, status: 'reserved', lines: plan.lines, createdAt: now, updatedAt: now });
  if (!fresh) return { kind: 'already-handled' };
  for (const [productId, quantity] of plan.demand) {
    const level = stock.get(productId);
    if (!level) throw new Error(`stock row of ${productId} vanished under its lock`);
    await applyMovement(tx, ctx, level, { delta: -quantity, reason: 'sale_reservation', reference: command.saleId });
  }
  await tx.events.record([{ type: 'StockReserved', saleId: command.saleId, lines: plan.lines }], ctx);
  return { kind: 'reserved' };
}
