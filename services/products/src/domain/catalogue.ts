import { failures } from './failures';

export interface ProductCategory {
  id: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A unit something is counted or sold in: piece, pack, box… */
export interface ProductUnit {
  id: string;
  name: string;
  abbreviation: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CategoryInput {
  name: string;
  description?: string | null;
}

export interface UnitInput {
  name: string;
  abbreviation: string;
}

export function requiredText(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed === '') throw failures.invalidField(field, 'Must not be blank.');
  if (trimmed.length > max) throw failures.invalidField(field, `Must be at most ${max} characters.`);
  return trimmed;
}

export function newCategory(id: string, input: CategoryInput, now: Date): ProductCategory {
  return {
    id,
    name: requiredText('name', input.name, 120),
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

export function changeCategory(category: ProductCategory, changes: Partial<CategoryInput>, now: Date): ProductCategory {
  return {
    ...category,
    name: changes.name === undefined ? category.name : requiredText('name', changes.name, 120),
    description: changes.description === undefined ? category.description : changes.description,
    updatedAt: now,
  };
}

export function newUnit(id: string, input: UnitInput, now: Date): ProductUnit {
  return {
    id,
    name: requiredText('name', input.name, 60),
    abbreviation: requiredText('abbreviation', input.abbreviation, 16),
    createdAt: now,
    updatedAt: now,
  };
}

export function changeUnit(unit: ProductUnit, changes: Partial<UnitInput>, now: Date): ProductUnit {
  return {
    ...unit,
    name: changes.name === undefined ? unit.name : requiredText('name', changes.name, 60),
    abbreviation:
      changes.abbreviation === undefined ? unit.abbreviation : requiredText('abbreviation', changes.abbreviation, 16),
    updatedAt: now,
  };
}
