import type { Context, Tx } from './ports';
import { applyMovement } from './stock-movements';

export type ReleaseOutcome = { kind: 'released' } | { kind: 'nothing-reserved' };

/**
 * Returns exactly what the sale took, once. A sale that was rejected, already released or never
 * seen releases nothing; for one never seen a "released" marker is stored, so a "sale requested"
 * arriving after its cancellation does not reserve stock for a dead sale.
 */
export async function releaseReservation(tx: Tx, ctx: Context, saleId: string): Promise<ReleaseOutcome> {
  const now = ctx.occurredAt;
  const reservation = await tx.reservations.getForUpdate(saleId);
  if (!reservation) {
    await tx.reservations.insertIfAbsent({ saleId, status: 'released', lines: [], createdAt: now, updatedAt: now });
    return { kind: 'nothing-reserved' };
  }
  if (reservation.status !== 'reserved') return { kind: 'nothing-reserved' };

  const demand = new Map<string, number>();
  for (const line of reservation.lines) demand.set(line.productId, (demand.get(line.productId) ?? 0) + line.baseQuantity);
  const stock = await tx.stock.lock([...demand.keys()]);
  for (const [productId, quantity] of demand) {
    const level = stock.get(productId);
    // A product is deleted only without open reservations, so its row is there.
    if (!level) throw new Error(`stock row of ${productId} is gone while reserved by sale ${saleId}`);
    await applyMovement(tx, ctx, level, { delta: quantity, reason: 'reservation_release', reference: saleId });
  }
  await tx.reservations.markReleased(saleId, now);
  return { kind: 'released' };
}
