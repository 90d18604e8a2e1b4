import { newUnit, requiredText, type ProductUnit } from '../domain/catalogue';
import { notFound } from '../domain/errors';
import type { Context, Tx } from './ports';

export interface UnitInput {
  name: string;
  abbreviation: string;
}

export async function createUnit(tx: Tx, ctx: Context, input: UnitInput): Promise<ProductUnit> {
  const unit = newUnit(ctx.newId(), input, ctx.occurredAt);
  await tx.units.insert(unit);
  return unit;
}

export async function updateUnit(tx: Tx, ctx: Context, id: string, changes: Partial<UnitInput>): Promise<ProductUnit> {
  const unit = await tx.units.get(id);
  if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit ${id}.`);
  const updated: ProductUnit = {
    ...unit,
    name: changes.name === undefined ? unit.name : requiredText('name', changes.name, 60),
    abbreviation: changes.abbreviation === undefined ? unit.abbreviation : requiredText('abbreviation', changes.abbreviation, 16),
    updatedAt: ctx.occurredAt,
  };
  await tx.units.update(updated);
  return updated;
}

export async function deleteUnit(tx: Tx, id: string): Promise<void> {
  if (!(await tx.units.get(id))) throw notFound('UNIT.NOT_FOUND', `No unit ${id}.`);
  await tx.units.delete(id);
}
