import type { ProductsEvent } from '../domain/events';
import { move, type MovementReason, type StockLevel } from '../domain/stock';
import type { Context, Tx } from './ports';

/** Applies one movement to a locked stock row and records stock changed (and low stock when crossed). */
export async function applyMovement(
  tx: Tx,
  ctx: Context,
  level: StockLevel,
  change: { delta: number; reason: MovementReason; reference?: string | null; note?: string | null },
): Promise<StockLevel> {
  const result = move(level, change, ctx.occurredAt);
  await tx.stock.apply(result);
  const events: ProductsEvent[] = [{
    type: 'StockChanged',
    productId: level.productId,
    delta: change.delta,
    quantity: result.level.quantity,
    reason: change.reason,
    reference: change.reference ?? null,
  }];
  if (result.crossedLow) {
    events.push({ type: 'LowStock', productId: level.productId, quantity: result.level.quantity, threshold: level.lowStockThreshold });
  }
  await tx.events.record(events, ctx);
  return result.level;
}
