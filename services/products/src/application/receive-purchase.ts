import { toBaseQuantity } from '../domain/unit-level';
import type { RequestedLine } from '../domain/stock';
import type { Context, Tx } from './ports';
import { applyMovement } from './stock-movements';

export interface ReceivePurchase {
  purchaseId: string;
  lines: RequestedLine[];
}

export type ReceiveOutcome =
  | { kind: 'received' }
  | { kind: 'already-received' }
  | { kind: 'unknown-line'; productId: string; unitLevelId: string };

/** Adds a purchase's lines to stock in base units, once per purchase id. */
export async function receivePurchase(tx: Tx, ctx: Context, command: ReceivePurchase): Promise<ReceiveOutcome> {
  const levels = await tx.levels.findMany(command.lines.map((line) => line.unitLevelId));
  const supply = new Map<string, number>();
  for (const line of command.lines) {
    const level = levels.get(line.unitLevelId);
    if (!level || level.productId !== line.productId || !Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      return { kind: 'unknown-line', productId: line.productId, unitLevelId: line.unitLevelId };
    }
    supply.set(line.productId, (supply.get(line.productId) ?? 0) + toBaseQuantity(line.quantity, level.factor));
  }
  if (!(await tx.purchases.claim(command.purchaseId, ctx.occurredAt))) return { kind: 'already-received' };
  const stock = await tx.stock.lock([...supply.keys()]);
  for (const [productId, quantity] of supply) {
    const level = stock.get(productId);
    if (!level) throw new Error(`stock row of ${productId} is missing although its unit level exists`);
    await applyMovement(tx, ctx, level, { delta: quantity, reason: 'purchase', reference: command.purchaseId });
  }
  return { kind: 'received' };
}
