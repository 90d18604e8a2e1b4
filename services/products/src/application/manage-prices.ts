import { conflict, invalid, notFound } from '../domain/errors';
import { isEffective, newPrice, type ProductUnitPrice } from '../domain/unit-price';
import { getProduct } from './manage-products';
import type { Context, Tx } from './ports';

export interface PriceInput {
  unitLevelId: string;
  sellPrice: number;
  buyPrice: number;
  currency: string;
  effectiveFrom?: Date;
}

/** Adds a price row: the history stays, and the latest effective row is the current price. */
export async function setPrice(tx: Tx, ctx: Context, productId: string, input: PriceInput): Promise<ProductUnitPrice> {
  await getProduct(tx, productId);
  const price = newPrice(ctx.newId(), { productId, ...input }, ctx.occurredAt);
  const level = await tx.levels.get(input.unitLevelId);
  if (!level || level.productId !== productId) throw invalid('unitLevelId', 'Not a unit level of this product.');
  await tx.prices.insert(price);
  if (isEffective(price, ctx.occurredAt)) await announce(tx, ctx, price);
  return price;
}

/**
 * Announces the prices that have taken effect since the last call (scheduled ones), once each.
 * Called periodically; rows another caller has claimed are skipped, so replicas can share it.
 */
export async function announceDuePrices(tx: Tx, ctx: Context, limit = 100): Promise<number> {
  const due = await tx.prices.claimDue(ctx.occurredAt, limit);
  for (const price of due) await announce(tx, ctx, price);
  return due.length;
}

/** PriceChanged only when the price really is the current one: a backdated row is history, not news. */
async function announce(tx: Tx, ctx: Context, price: ProductUnitPrice): Promise<void> {
  await tx.prices.markAnnounced(price.id, ctx.occurredAt);
  if ((await tx.prices.currentFor(price.unitLevelId, ctx.occurredAt))?.id === price.id) {
    await tx.events.record([{ type: 'PriceChanged', price }], ctx);
  }
}

/** Only a price that has not taken effect yet may change: an effective one is history. Moving it to now makes it effective at once. */
export async function updatePrice(tx: Tx, ctx: Context, productId: string, id: string, changes: Partial<Omit<PriceInput, 'unitLevelId'>>): Promise<ProductUnitPrice> {
  const price = await getScheduled(tx, ctx, productId, id);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const updated = newPrice(price.id, { ...price, ...defined }, price.createdAt);
  await tx.prices.update(updated);
  if (isEffective(updated, ctx.occurredAt)) await announce(tx, ctx, updated);
  return updated;
}

export async function deletePrice(tx: Tx, ctx: Context, productId: string, id: string): Promise<void> {
  await getScheduled(tx, ctx, productId, id);
  await tx.prices.delete(id);
}

async function getScheduled(tx: Tx, ctx: Context, productId: string, id: string): Promise<ProductUnitPrice> {
  const price = await tx.prices.get(id);
  if (!price || price.productId !== productId) throw notFound('PRICE.NOT_FOUND', `Product ${productId} has no price ${id}.`);
  if (isEffective(price, ctx.occurredAt)) {
    throw conflict('PRICE.ALREADY_EFFECTIVE', 'This price has taken effect and is kept as history; add a new price instead.');
  }
  return price;
}
