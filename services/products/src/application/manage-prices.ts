import { failures } from '../domain/failures';
import { changePrice, isEffective, newPrice, type PriceChanges, type ProductUnitPrice } from '../domain/unit-price';
import { existing } from './manage-products';
import type { Command, ProductsDeps, Tx } from './ports';

type SetPriceCommand = Command & {
  productId: string;
  unitLevelId: string;
  sellPrice: number;
  buyPrice: number;
  currency: string;
  effectiveFrom?: Date;
};
type UpdatePriceCommand = Command & { productId: string; id: string; changes: PriceChanges };
type DeletePriceCommand = Command & { productId: string; id: string };

/** Adds a price row: the history stays, and the latest effective row is the current price. */
export function setPrice(deps: Pick<ProductsDeps, 'uow' | 'clock' | 'ids'>) {
  return ({ correlationId, ...input }: SetPriceCommand): Promise<ProductUnitPrice> =>
    deps.uow.run(correlationId, async (tx) => {
      await existing(tx, input.productId);
      const now = deps.clock.now();
      const price = newPrice(deps.ids.newId(), input, now);
      const level = await tx.levels.get(input.unitLevelId);
      if (!level || level.productId !== input.productId) throw failures.unknownUnitLevel();
      await tx.prices.insert(price);
      if (isEffective(price, now)) await announce(tx, price, now);
      return price;
    });
}

/** Only a scheduled price may change; moving it to now makes it effective, and announced, at once. */
export function updatePrice(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: UpdatePriceCommand): Promise<ProductUnitPrice> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const updated = changePrice(await priceOf(tx, command.productId, command.id), command.changes, now);
      await tx.prices.update(updated);
      if (isEffective(updated, now)) await announce(tx, updated, now);
      return updated;
    });
}

export function deletePrice(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: DeletePriceCommand): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const price = await priceOf(tx, command.productId, command.id);
      if (isEffective(price, deps.clock.now())) throw failures.priceAlreadyEffective();
      await tx.prices.delete(price.id);
    });
}

async function priceOf(tx: Tx, productId: string, id: string): Promise<ProductUnitPrice> {
  const price = await tx.prices.get(id);
  if (!price || price.productId !== productId) throw failures.priceNotFound();
  return price;
}

/**
 * Marks the price announced, and records PriceChanged only when it really is the current one:
 * a backdated row is history, not news.
 */
export async function announce(tx: Tx, price: ProductUnitPrice, now: Date): Promise<void> {
  await tx.prices.markAnnounced(price.id, now);
  if ((await tx.prices.currentFor(price.unitLevelId, now))?.id !== price.id) return;
  const previous = (await tx.prices.previousOf(price)) ?? null;
  await tx.events.record([{ type: 'PriceChanged', occurredAt: now, price, previous }]);
}
