import { changeUnit, newUnit, type ProductUnit, type UnitInput } from '../domain/catalogue';
import { failures } from '../domain/failures';
import type { Command, ProductsDeps } from './ports';

type CreateUnitCommand = Command & UnitInput;
type UpdateUnitCommand = Command & { id: string; changes: Partial<UnitInput> };
type DeleteUnitCommand = Command & { id: string };

export function createUnit(deps: Pick<ProductsDeps, 'uow' | 'clock' | 'ids'>) {
  return ({ correlationId, ...input }: CreateUnitCommand): Promise<ProductUnit> =>
    deps.uow.run(correlationId, async (tx) => {
      const unit = newUnit(deps.ids.newId(), input, deps.clock.now());
      await tx.units.insert(unit);
      return unit;
    });
}

export function updateUnit(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: UpdateUnitCommand): Promise<ProductUnit> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const unit = await tx.units.get(command.id);
      if (!unit) throw failures.unitNotFound();
      const updated = changeUnit(unit, command.changes, deps.clock.now());
      await tx.units.update(updated);
      return updated;
    });
}

/** Refused while products count in it or unit levels use it: the database's foreign keys decide. */
export function deleteUnit(deps: Pick<ProductsDeps, 'uow'>) {
  return (command: DeleteUnitCommand): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      if (!(await tx.units.get(command.id))) throw failures.unitNotFound();
      await tx.units.delete(command.id);
    });
}
