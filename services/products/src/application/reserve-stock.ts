import { planReservation, type RequestedLine, type Shortage } from '../domain/stock';
import type { Command, ProductsDeps } from './ports';
import { applyMovement } from './stock-movements';

type ReserveStockCommand = Command & { saleId: string; lines: RequestedLine[] };

type ReserveOutcome = { kind: 'reserved' } | { kind: 'rejected'; shortages: Shortage[] } | { kind: 'already-handled' };

/**
 * All or nothing for one sale: lock the stock rows (sorted, so two sales never deadlock), decide,
 * then record the sale's outcome. The outcome row is keyed by sale id, so a second "sale
 * requested" for the same sale — redelivered or re-sent — changes nothing.
 */
export function reserveStock(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: ReserveStockCommand): Promise<ReserveOutcome> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const { saleId, lines } = command;
      const stock = await tx.stock.lock([...new Set(lines.map((line) => line.productId))]);
      const levels = await tx.levels.findMany(lines.map((line) => line.unitLevelId));
      const plan = planReservation(lines, levels, stock);
      const now = deps.clock.now();

      if (plan.kind === 'reject') {
        const fresh = await tx.reservations.insertIfAbsent({
          saleId,
          status: 'rejected',
          lines: [],
          createdAt: now,
          updatedAt: now,
        });
        if (!fresh) return { kind: 'already-handled' };
        await tx.events.record([
          { type: 'StockReservationRejected', occurredAt: now, saleId, shortages: plan.shortages },
        ]);
        return { kind: 'rejected', shortages: plan.shortages };
      }

      const fresh = await tx.reservations.insertIfAbsent({
        saleId,
        status: 'reserved',
        lines: plan.lines,
        createdAt: now,
        updatedAt: now,
      });
      if (!fresh) return { kind: 'already-handled' };
      for (const [productId, quantity] of plan.demand) {
        const level = stock.get(productId);
        if (!level) throw new Error(`stock row of ${productId} vanished under its lock`);
        await applyMovement(
          tx,
          level,
          { delta: -quantity, reservedDelta: quantity, reason: 'sale_reservation', reference: saleId },
          now,
        );
      }
      await tx.events.record([{ type: 'StockReserved', occurredAt: now, saleId, lines: plan.lines }]);
      return { kind: 'reserved' };
    });
}
