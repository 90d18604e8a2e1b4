import type { Command, ProductsDeps } from './ports';
import { applyMovement } from './stock-movements';

type SaleCommand = Command & { saleId: string };

/** The sale is final: its stock stays taken and no longer counts as reserved. */
export function confirmReservation(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: SaleCommand): Promise<boolean> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const reservation = await tx.reservations.getForUpdate(command.saleId);
      if (reservation?.status !== 'reserved') return false;
      await tx.reservations.setStatus(command.saleId, 'confirmed', deps.clock.now());
      return true;
    });
}

type ReleaseOutcome = { kind: 'released' } | { kind: 'nothing-reserved' };

/**
 * Returns exactly what the sale took, once (sale cancelled, or rejected after a reservation). A
 * sale that was rejected, already released or never seen releases nothing; for one never seen a
 * "released" marker is stored, so a "sale requested" arriving after its cancellation does not
 * reserve stock for a dead sale.
 */
export function releaseReservation(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return ({ correlationId, saleId }: SaleCommand): Promise<ReleaseOutcome> =>
    deps.uow.run(correlationId, async (tx) => {
      const now = deps.clock.now();
      const reservation = await tx.reservations.getForUpdate(saleId);
      if (!reservation) {
        await tx.reservations.insertIfAbsent({ saleId, status: 'released', lines: [], createdAt: now, updatedAt: now });
        return { kind: 'nothing-reserved' };
      }
      // A confirmed sale that is cancelled gives its goods back too.
      if (reservation.status !== 'reserved' && reservation.status !== 'confirmed') return { kind: 'nothing-reserved' };

      await tx.reservations.setStatus(saleId, 'released', now);
      const supply = new Map<string, number>();
      for (const line of reservation.lines)
        supply.set(line.productId, (supply.get(line.productId) ?? 0) + line.baseQuantity);
      // What came back through returns of the sale is in stock already.
      for (const line of (await tx.returns.of(saleId)).flatMap((r) => r.lines))
        supply.set(line.productId, (supply.get(line.productId) ?? 0) - line.baseQuantity);
      for (const [productId, quantity] of supply) if (quantity <= 0) supply.delete(productId);
      const stock = await tx.stock.lock([...supply.keys()]);
      for (const [productId, quantity] of supply) {
        const level = stock.get(productId);
        // A product is deleted only without open reservations, so its row is there.
        if (!level) throw new Error(`stock row of ${productId} is gone while reserved by sale ${saleId}`);
        await applyMovement(tx, level, { delta: quantity, reason: 'reservation_release', reference: saleId }, now);
      }
      return { kind: 'released' };
    });
}
