import { failures } from '../domain/failures';
import type { Command, ProductsDeps, StockView } from './ports';
import { applyMovement } from './stock-movements';

type AdjustStockCommand = Command & {
  productId: string;
  /** Base units to add (positive) or remove (negative). */
  delta: number;
  reason: string;
};

/** A manual correction (count, damage, loss), under the same row lock as reservations. */
export function adjustStock(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: AdjustStockCommand): Promise<StockView> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const level = (await tx.stock.lock([command.productId])).get(command.productId);
      if (!level) throw failures.productNotFound();
      const now = deps.clock.now();
      const after = await applyMovement(
        tx,
        level,
        { delta: command.delta, reason: 'manual_adjustment', note: command.reason },
        now,
      );
      const { productId, quantity, reserved, lowStockThreshold } = after;
      return { productId, quantity, reserved, lowStockThreshold, updatedAt: now };
    });
}
