import { invalid } from './errors';

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

export function requiredText(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed === '') throw invalid(field, 'Must not be blank.');
  if (trimmed.length > max) throw invalid(field, `Must be at most ${max} characters.`);
  return trimmed;
}

export function newCategory(id: string, input: { name: string; description?: string | null }, now: Date): ProductCategory {
  return { id, name: requiredText('name', input.name, 120), description: input.description ?? null, createdAt: now, updatedAt: now };
}

export function newUnit(id: string, input: { name: string; abbreviation: string }, now: Date): ProductUnit {
  return {
    id,
    name: requiredText('name', input.name, 60),
    abbreviation: requiredText('abbreviation', input.abbreviation, 16),
    createdAt: now,
    updatedAt: now,
  };
}
