import { planReturn, type RequestedLine } from '../domain/stock';
import type { Command, ProductsDeps } from './ports';
import { applyMovement } from './stock-movements';

type ReturnSaleCommand = Command & { saleId: string; returnId: string; lines: RequestedLine[] };

type ReturnOutcome =
  | { kind: 'returned' }
  | { kind: 'already-returned' }
  /** The sale was released after all (cancelled): everything it took is back already. */
  | { kind: 'already-released' }
  /** The return does not fit the sale as products reserved it: a malformed event. */
  | { kind: 'unusable'; reason: string };

/**
 * Puts a confirmed sale's returned goods back into stock, once per return id, in base units at
 * the factor the sale was reserved at, and never more than the sale took counting earlier returns.
 */
export function returnSale(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: ReturnSaleCommand): Promise<ReturnOutcome> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      // The reservation's row lock orders the returns of one sale, so their sum is checked safely.
      const reservation = await tx.reservations.getForUpdate(command.saleId);
      if (reservation?.status === 'released') return { kind: 'already-released' };
      if (reservation?.status !== 'confirmed')
        return { kind: 'unusable', reason: `sale ${command.saleId} has no confirmed reservation` };
      const earlier = await tx.returns.of(command.saleId);
      if (earlier.some((r) => r.returnId === command.returnId)) return { kind: 'already-returned' };

      const plan = planReturn(
        reservation.lines,
        earlier.flatMap((r) => r.lines),
        command.lines,
      );
      if (plan.kind === 'no-lines') return { kind: 'unusable', reason: 'the return has no lines' };
      if (plan.kind !== 'return') {
        const what = plan.kind === 'not-in-sale' ? 'which the sale did not take' : 'more than the sale took';
        return { kind: 'unusable', reason: `product ${plan.productId} in unit level ${plan.unitLevelId}, ${what}` };
      }
      // Another sale's return under the same id: the database decides, and it counts as seen.
      if (!(await tx.returns.record({ returnId: command.returnId, saleId: command.saleId, lines: plan.lines }, now)))
        return { kind: 'already-returned' };
      const stock = await tx.stock.lock([...plan.supply.keys()]);
      for (const [productId, quantity] of plan.supply) {
        const level = stock.get(productId);
        // Reservation lines go with their product (on delete cascade), so a product planned here has its row.
        if (!level) throw new Error(`stock row of ${productId} is gone while sale ${command.saleId} returns it`);
        await applyMovement(tx, level, { delta: quantity, reason: 'sale_return', reference: command.saleId }, now);
      }
      return { kind: 'returned' };
    });
}
