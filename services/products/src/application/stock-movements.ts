import type { ProductsEvent } from '../domain/events';
import { move, type MovementReason, type StockLevel } from '../domain/stock';
import type { Tx } from './ports';

/**
 * Applies one movement to a locked stock row and records stock changed (and low stock when
 * crossed); answers the row after it with the base units open reservations hold. Callers change reservations first, so the reserved total the event carries is the
 * one after this change.
 */
export async function applyMovement(
  tx: Tx,
  level: StockLevel,
  change: { delta: number; reason: MovementReason; reference?: string | null; note?: string | null },
  now: Date,
): Promise<StockLevel & { reserved: number }> {
  const result = move(level, change, now);
  const { reserved } = await tx.stock.apply(result);
  const events: ProductsEvent[] = [
    {
      type: 'StockChanged',
      occurredAt: now,
      productId: level.productId,
      delta: change.delta,
      quantity: result.level.quantity,
      reserved,
      reason: change.reason,
      reference: change.reference ?? null,
    },
  ];
  if (result.crossedLow) {
    const { productId, sku, name, quantity, lowStockThreshold } = result.level;
    events.push({ type: 'LowStock', occurredAt: now, productId, sku, name, quantity, threshold: lowStockThreshold });
  }
  await tx.events.record(events);
  return { ...result.level, reserved };
}
