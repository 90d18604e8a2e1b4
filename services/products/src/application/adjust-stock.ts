import { notFound } from '../domain/errors';
import type { StockLevel } from '../domain/stock';
import type { Context, Tx } from './ports';
import { applyMovement } from './stock-movements';

export interface AdjustStock {
  productId: string;
  /** Base units to add (positive) or remove (negative). */
  delta: number;
  reason: string;
}

/** A manual correction (count, damage, loss), under the same row lock as reservations. */
export async function adjustStock(tx: Tx, ctx: Context, command: AdjustStock): Promise<StockLevel> {
  const level = (await tx.stock.lock([command.productId])).get(command.productId);
  if (!level) throw notFound('PRODUCT.NOT_FOUND', `No product ${command.productId}.`);
  return applyMovement(tx, ctx, level, { delta: command.delta, reason: 'manual_adjustment', note: command.reason });
}
