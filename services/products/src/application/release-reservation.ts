import type { Context, Tx } from './ports';
import { applyMovement } from './stock-movements';

/** The sale is final: its stock stays taken and no longer counts as reserved. */
export async function confirmReservation(tx: Tx, ctx: Context, saleId: string): Promise<boolean> {
  const reservation = await tx.reservations.getForUpdate(saleId);
  if (reservation?.status !== 'reserved') return false;
  await tx.reservations.setStatus(saleId, 'confirmed', ctx.occurredAt);
  return true;
}

export type ReleaseOutcome = { kind: 'released' } | { kind: 'nothing-reserved' };

/**
 * Returns exactly what the sale took, once (sale cancelled, or rejected after a reservation). A sale that was rejected, already released or never
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
  // A confirmed sale that is cancelled gives its goods back too.
  if (reservation.status !== 'reserved' && reservation.status !== 'confirmed') return { kind: 'nothing-reserved' };

  const demand = new Map<string, number>();
  for (const line of reservation.lines) demand.set(line.productId, (demand.get(line.productId) ?? 0) + line.baseQuantity);
  const stock = await tx.stock.lock([...demand.keys()]);
  for (const [productId, quantity] of demand) {
    const level = stock.get(productId);
    // A product is deleted only without open reservations, so its row is there.
    if (!level) throw new Error(`stock row of ${productId} is gone while reserved by sale ${saleId}`);
    await applyMovement(tx, ctx, level, { delta: quantity, reason: 'reservation_release', reference: saleId });
  }
  await tx.reservations.setStatus(saleId, 'released', now);
  return { kind: 'released' };
}
