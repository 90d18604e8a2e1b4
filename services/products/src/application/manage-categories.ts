import { newCategory, requiredText, type ProductCategory } from '../domain/catalogue';
import { notFound } from '../domain/errors';
import type { Context, Tx } from './ports';

export interface CategoryInput {
  name: string;
  description?: string | null;
}

export async function createCategory(tx: Tx, ctx: Context, input: CategoryInput): Promise<ProductCategory> {
  const category = newCategory(ctx.newId(), input, ctx.occurredAt);
  await tx.categories.insert(category);
  return category;
}

export async function updateCategory(tx: Tx, ctx: Context, id: string, changes: Partial<CategoryInput>): Promise<ProductCategory> {
  const category = await tx.categories.get(id);
  if (!category) throw notFound('CATEGORY.NOT_FOUND', `No category ${id}.`);
  const updated: ProductCategory = {
    ...category,
    name: changes.name === undefined ? category.name : requiredText('name', changes.name, 120),
    description: changes.description === undefined ? category.description : changes.description,
    updatedAt: ctx.occurredAt,
  };
  await tx.categories.update(updated);
  return updated;
}

export async function deleteCategory(tx: Tx, id: string): Promise<void> {
  if (!(await tx.categories.get(id))) throw notFound('CATEGORY.NOT_FOUND', `No category ${id}.`);
  await tx.categories.delete(id);
}
