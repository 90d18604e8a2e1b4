import type { RequestedLine } from '../domain/stock';
import { toBaseQuantity } from '../domain/unit-level';
import type { Command, ProductsDeps } from './ports';
import { applyMovement } from './stock-movements';

type ReceivePurchaseCommand = Command & { purchaseId: string; lines: RequestedLine[] };

type ReceiveOutcome =
  | { kind: 'received' }
  | { kind: 'already-received' }
  /** A line names no unit level of its product, or a quantity that cannot be counted. */
  | { kind: 'unusable-line'; productId: string; unitLevelId: string };

/** Adds a purchase's lines to stock in base units, once per purchase id. */
export function receivePurchase(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: ReceivePurchaseCommand): Promise<ReceiveOutcome> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const levels = await tx.levels.findMany(command.lines.map((line) => line.unitLevelId));
      const supply = new Map<string, number>();
      for (const line of command.lines) {
        const level = levels.get(line.unitLevelId);
        const base = level?.productId === line.productId ? toBaseQuantity(line.quantity, level.factor) : undefined;
        if (base === undefined)
          return { kind: 'unusable-line', productId: line.productId, unitLevelId: line.unitLevelId };
        supply.set(line.productId, (supply.get(line.productId) ?? 0) + base);
      }
      if (!(await tx.purchases.claim(command.purchaseId, now))) return { kind: 'already-received' };
      const stock = await tx.stock.lock([...supply.keys()]);
      for (const [productId, quantity] of supply) {
        const level = stock.get(productId);
        if (!level) throw new Error(`stock row of ${productId} is missing although its unit level exists`);
        await applyMovement(tx, level, { delta: quantity, reason: 'purchase', reference: command.purchaseId }, now);
      }
      return { kind: 'received' };
    });
}
