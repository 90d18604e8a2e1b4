import { failures } from '../domain/failures';
import {
  changeProduct,
  newProduct,
  type Product,
  type ProductChanges,
  type ProductInput,
  type ProductSnapshot,
} from '../domain/product';
import { newUnitLevel } from '../domain/unit-level';
import type { Command, ProductsDeps, Tx } from './ports';

type CreateProductCommand = Command & ProductInput;
type UpdateProductCommand = Command & { id: string; changes: ProductChanges };
type DeleteProductCommand = Command & { id: string };

/** Creates the product with its base unit level (factor 1) and an empty stock row. */
export function createProduct(deps: Pick<ProductsDeps, 'uow' | 'clock' | 'ids'>) {
  return ({ correlationId, ...input }: CreateProductCommand): Promise<Product> =>
    deps.uow.run(correlationId, async (tx) => {
      const now = deps.clock.now();
      const product = newProduct(deps.ids.newId(), input, now);
      const baseLevel = newUnitLevel(
        deps.ids.newId(),
        { productId: product.id, unitId: product.baseUnitId, factor: 1, isBase: true },
        now,
      );
      const snapshot = await tx.products.create(product, baseLevel);
      await tx.events.record([{ type: 'ProductCreated', occurredAt: now, snapshot }]);
      return product;
    });
}

export function updateProduct(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: UpdateProductCommand): Promise<Product> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const product = await existing(tx, command.id);
      const now = deps.clock.now();
      const updated = changeProduct(product, command.changes, now);
      if (updated.categoryId !== product.categoryId && !(await tx.categories.get(updated.categoryId)))
        throw failures.unknownCategory();
      await tx.products.update(updated);
      await recordProductUpdated(tx, updated.id, now);
      return updated;
    });
}

/**
 * Refused while the product still has stock or stock reserved for a sale: its history would
 * vanish with units still on the shelf. The stock row lock keeps a reservation from racing in.
 */
export function deleteProduct(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: DeleteProductCommand): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const product = await existing(tx, command.id);
      const level = (await tx.stock.lock([product.id])).get(product.id);
      if (level && level.quantity !== 0) {
        throw failures.productInUse(`The product still has ${level.quantity} in stock; adjust it to zero first.`);
      }
      if (level && level.reserved !== 0) throw failures.productInUse('The product has stock reserved for a sale.');
      await tx.products.delete(product.id);
      await tx.events.record([{ type: 'ProductDeleted', occurredAt: deps.clock.now(), product }]);
    });
}

export async function existing(tx: Tx, id: string): Promise<Product> {
  const product = await tx.products.get(id);
  if (!product) throw failures.productNotFound();
  return product;
}

/** Consumers keep the product with its unit levels in their read model: a level change is a product change. */
export async function recordProductUpdated(tx: Tx, productId: string, occurredAt: Date): Promise<void> {
  await tx.events.record([{ type: 'ProductUpdated', occurredAt, snapshot: await snapshotOf(tx, productId) }]);
}

async function snapshotOf(tx: Tx, productId: string): Promise<ProductSnapshot> {
  const snapshot = await tx.products.snapshot(productId);
  if (!snapshot) throw new Error(`product ${productId} vanished inside its own transaction`);
  return snapshot;
}
