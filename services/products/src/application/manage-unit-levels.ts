import { conflict, invalid, notFound } from '../domain/errors';
import { checkFactor, newUnitLevel, type ProductUnitLevel } from '../domain/unit-level';
import { getProduct } from './manage-products';
import type { Context, Tx } from './ports';

export async function addUnitLevel(tx: Tx, ctx: Context, productId: string, input: { unitId: string; factor: number }): Promise<ProductUnitLevel> {
  await getProduct(tx, productId);
  const level = newUnitLevel(ctx.newId(), { productId, ...input }, ctx.occurredAt);
  if (!(await tx.units.get(input.unitId))) throw invalid('unitId', 'Unknown unit.');
  await tx.levels.insert(level);
  await recordProductUpdated(tx, ctx, productId);
  return level;
}

/** Changing a factor affects only later conversions: reservations keep the base quantities they took. */
export async function updateUnitLevel(tx: Tx, ctx: Context, productId: string, id: string, input: { factor: number }): Promise<ProductUnitLevel> {
  const level = await getLevel(tx, productId, id);
  checkFactor(input.factor);
  if (level.isBase && input.factor !== 1) throw conflict('UNIT_LEVEL.IS_BASE', 'The base unit level always has factor 1.', 'factor');
  const updated = { ...level, factor: input.factor };
  await tx.levels.update(updated);
  await recordProductUpdated(tx, ctx, productId);
  return updated;
}

export async function deleteUnitLevel(tx: Tx, ctx: Context, productId: string, id: string): Promise<void> {
  const level = await getLevel(tx, productId, id);
  if (level.isBase) throw conflict('UNIT_LEVEL.IS_BASE', 'The base unit level is removed only with its product.');
  await tx.levels.delete(id);
  await recordProductUpdated(tx, ctx, productId);
}

/** Consumers keep the product's unit levels in their read model: a level change is a product change. */
async function recordProductUpdated(tx: Tx, ctx: Context, productId: string): Promise<void> {
  await tx.events.record([{ type: 'ProductUpdated', product: await getProduct(tx, productId) }], ctx);
}

export async function getLevel(tx: Tx, productId: string, id: string): Promise<ProductUnitLevel> {
  const level = await tx.levels.get(id);
  if (!level || level.productId !== productId) throw notFound('UNIT_LEVEL.NOT_FOUND', `Product ${productId} has no unit level ${id}.`);
  return level;
}
