import type { ProductsEvent } from '../domain/events';
import { move, type StockChange, type StockLevel } from '../domain/stock';
import type { Tx } from './ports';

/**
 * Applies one movement to a locked stock row and records stock changed (and low stock when
 * crossed); answers the row after it.
 */
export async function applyMovement(tx: Tx, level: StockLevel, change: StockChange, now: Date): Promise<StockLevel> {
  const result = move(level, change, now);
  await tx.stock.apply(result);
  const events: ProductsEvent[] = [
    {
      type: 'StockChanged',
      occurredAt: now,
      productId: level.productId,
      delta: change.delta,
      quantity: result.level.quantity,
      reserved: result.level.reserved,
      reason: change.reason,
      reference: change.reference ?? null,
    },
  ];
  if (result.crossedLow) {
    const { productId, sku, name, quantity, lowStockThreshold } = result.level;
    events.push({ type: 'LowStock', occurredAt: now, productId, sku, name, quantity, threshold: lowStockThreshold });
  }
  await tx.events.record(events);
  return result.level;
}
