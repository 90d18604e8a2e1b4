import { conflict, invalid, notFound } from '../domain/errors';
import { changeProduct, newProduct, type Product, type ProductChanges, type ProductInput } from '../domain/product';
import { newUnitLevel } from '../domain/unit-level';
import type { Context, Tx } from './ports';

/** Creates the product with its base unit level (factor 1) and an empty stock row. */
export async function createProduct(tx: Tx, ctx: Context, input: ProductInput): Promise<Product> {
  const product = newProduct(ctx.newId(), input, ctx.occurredAt);
  await assertCategory(tx, product.categoryId);
  if (!(await tx.units.get(product.baseUnitId))) throw invalid('baseUnitId', 'Unknown unit.');
  await tx.products.insert(product);
  await tx.levels.insert(newUnitLevel(ctx.newId(), { productId: product.id, unitId: product.baseUnitId, factor: 1, isBase: true }, ctx.occurredAt));
  await tx.stock.create(product.id);
  await tx.events.record([{ type: 'ProductCreated', product }], ctx);
  return product;
}

export async function updateProduct(tx: Tx, ctx: Context, id: string, changes: ProductChanges): Promise<Product> {
  const product = await getProduct(tx, id);
  const updated = changeProduct(product, changes, ctx.occurredAt);
  if (changes.categoryId !== undefined) await assertCategory(tx, updated.categoryId);
  await tx.products.update(updated);
  await tx.events.record([{ type: 'ProductUpdated', product: updated }], ctx);
  return updated;
}

/**
 * Refused while the product still has stock or stock reserved for a sale: its history would
 * vanish with units still on the shelf. The stock row lock keeps a reservation from racing in.
 */
export async function deleteProduct(tx: Tx, ctx: Context, id: string): Promise<void> {
  const product = await getProduct(tx, id);
  const level = (await tx.stock.lock([id])).get(id);
  if (level && level.quantity !== 0) {
    throw conflict('PRODUCT.IN_USE', `The product still has ${level.quantity} in stock; adjust it to zero first.`);
  }
  if (await tx.reservations.hasOpenLines(id)) {
    throw conflict('PRODUCT.IN_USE', 'The product has stock reserved for a sale.');
  }
  await tx.products.delete(id);
  await tx.events.record([{ type: 'ProductDeleted', product }], ctx);
}

export async function getProduct(tx: Tx, id: string): Promise<Product> {
  const product = await tx.products.get(id);
  if (!product) throw notFound('PRODUCT.NOT_FOUND', `No product ${id}.`);
  return product;
}

async function assertCategory(tx: Tx, categoryId: string): Promise<void> {
  if (!(await tx.categories.get(categoryId))) throw invalid('categoryId', 'Unknown category.');
}
