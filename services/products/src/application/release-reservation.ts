import { baseUnitsByProduct, held } from '../domain/stock';
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
      const sold = baseUnitsByProduct(reservation.lines);
      const stock = await tx.stock.lock([...sold.keys()]);
      for (const [productId, quantity] of sold) {
        const level = stock.get(productId);
        // A product is deleted only without open reservations, so its row is there.
        if (!level) throw new Error(`stock row of ${productId} is gone while reserved by sale ${command.saleId}`);
        await tx.stock.saveReserved(held(level, -quantity));
      }
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
      const supply = baseUnitsByProduct(reservation.lines);
      // What came back through returns of the sale is in stock already; only a confirmed sale has returns.
      const returns = reservation.status === 'confirmed' ? await tx.returns.of(saleId) : [];
      for (const [productId, quantity] of baseUnitsByProduct(returns.flatMap((r) => r.lines)))
        supply.set(productId, (supply.get(productId) ?? 0) - quantity);
      // Only a sale not yet confirmed still holds its goods as reserved.
      const unheld =
        reservation.status === 'reserved' ? baseUnitsByProduct(reservation.lines) : new Map<string, number>();
      const stock = await tx.stock.lock(reservation.lines.map((line) => line.productId));
      for (const productId of new Set([...supply.keys(), ...unheld.keys()])) {
        const level = stock.get(productId);
        // A product is deleted only without open reservations, so its row is there.
        if (!level) throw new Error(`stock row of ${productId} is gone while reserved by sale ${saleId}`);
        const delta = supply.get(productId) ?? 0;
        const reservedDelta = -(unheld.get(productId) ?? 0);
        if (delta > 0)
          await applyMovement(
            tx,
            level,
            { delta, reservedDelta, reason: 'reservation_release', reference: saleId },
            now,
          );
        else if (reservedDelta !== 0) await tx.stock.saveReserved(held(level, reservedDelta));
      }
      return { kind: 'released' };
    });
}
