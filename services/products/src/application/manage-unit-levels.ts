import { failures } from '../domain/failures';
import { changeFactor, newUnitLevel, type ProductUnitLevel } from '../domain/unit-level';
import { existing, recordProductUpdated } from './manage-products';
import type { Command, ProductsDeps, Tx } from './ports';

type AddUnitLevelCommand = Command & { productId: string; unitId: string; factor: number };
type UpdateUnitLevelCommand = Command & { productId: string; id: string; factor: number };
type DeleteUnitLevelCommand = Command & { productId: string; id: string };

export function addUnitLevel(deps: Pick<ProductsDeps, 'uow' | 'clock' | 'ids'>) {
  return ({ correlationId, ...input }: AddUnitLevelCommand): Promise<ProductUnitLevel> =>
    deps.uow.run(correlationId, async (tx) => {
      await existing(tx, input.productId);
      const now = deps.clock.now();
      const level = newUnitLevel(deps.ids.newId(), input, now);
      if (!(await tx.units.get(input.unitId))) throw failures.unknownUnit('unitId');
      await tx.levels.insert(level);
      await recordProductUpdated(tx, input.productId, now);
      return level;
    });
}

/** Changing a factor affects only later conversions: reservations keep the base quantities they took. */
export function updateUnitLevel(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: UpdateUnitLevelCommand): Promise<ProductUnitLevel> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const updated = changeFactor(await levelOf(tx, command.productId, command.id), command.factor);
      await tx.levels.update(updated);
      await recordProductUpdated(tx, command.productId, deps.clock.now());
      return updated;
    });
}

/** Refused for the base level, and while prices use the level (the database's foreign key decides). */
export function deleteUnitLevel(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: DeleteUnitLevelCommand): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const level = await levelOf(tx, command.productId, command.id);
      if (level.isBase) throw failures.unitLevelIsBase('The base unit level is removed only with its product.');
      await tx.levels.delete(level.id);
      await recordProductUpdated(tx, command.productId, deps.clock.now());
    });
}

async function levelOf(tx: Tx, productId: string, id: string): Promise<ProductUnitLevel> {
  await existing(tx, productId);
  const level = await tx.levels.get(id);
  if (!level || level.productId !== productId) throw failures.unitLevelNotFound();
  return level;
}
