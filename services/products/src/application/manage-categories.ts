import { changeCategory, newCategory, type CategoryInput, type ProductCategory } from '../domain/catalogue';
import { failures } from '../domain/failures';
import type { Command, ProductsDeps } from './ports';

type CreateCategoryCommand = Command & CategoryInput;
type UpdateCategoryCommand = Command & { id: string; changes: Partial<CategoryInput> };
type DeleteCategoryCommand = Command & { id: string };

export function createCategory(deps: Pick<ProductsDeps, 'uow' | 'clock' | 'ids'>) {
  return ({ correlationId, ...input }: CreateCategoryCommand): Promise<ProductCategory> =>
    deps.uow.run(correlationId, async (tx) => {
      const category = newCategory(deps.ids.newId(), input, deps.clock.now());
      await tx.categories.insert(category);
      return category;
    });
}

export function updateCategory(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: UpdateCategoryCommand): Promise<ProductCategory> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const category = await tx.categories.get(command.id);
      if (!category) throw failures.categoryNotFound();
      const updated = changeCategory(category, command.changes, deps.clock.now());
      await tx.categories.update(updated);
      return updated;
    });
}

/** Refused while products belong to it: the database's foreign key decides, so no race. */
export function deleteCategory(deps: Pick<ProductsDeps, 'uow'>) {
  return (command: DeleteCategoryCommand): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      if (!(await tx.categories.get(command.id))) throw failures.categoryNotFound();
      await tx.categories.delete(command.id);
    });
}
