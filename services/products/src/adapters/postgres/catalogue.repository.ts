import type { Knex } from 'knex';
import type { ProductCategory, ProductUnit } from '../../domain/catalogue';
import type { Repository } from '../../application/ports';
import { decided } from './constraint-failures';

export interface CategoryRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface UnitRow {
  id: string;
  name: string;
  abbreviation: string;
  created_at: Date;
  updated_at: Date;
}

export const toCategory = (r: CategoryRow): ProductCategory => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const fromCategory = (c: ProductCategory): CategoryRow => ({
  id: c.id,
  name: c.name,
  description: c.description,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export const toUnit = (r: UnitRow): ProductUnit => ({
  id: r.id,
  name: r.name,
  abbreviation: r.abbreviation,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const fromUnit = (u: ProductUnit): UnitRow => ({
  id: u.id,
  name: u.name,
  abbreviation: u.abbreviation,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

/** Rows of one table by id, for the two small aggregates that are nothing more: categories and units. */
function repository<T extends { id: string }, Row extends object>(
  db: Knex | Knex.Transaction,
  table: string,
  to: (row: Row) => T,
  from: (entity: T) => Row,
): Repository<T> {
  return {
    get: async (id) => {
      const row: Row | undefined = await db(table).where({ id }).first();
      return row ? to(row) : undefined;
    },
    insert: async (entity) => void (await decided(db(table).insert(from(entity)))),
    update: async (entity) => void (await decided(db(table).where({ id: entity.id }).update(from(entity)))),
    delete: async (id) => void (await decided(db(table).where({ id }).delete())),
  };
}

export const categoryRepository = (db: Knex | Knex.Transaction) =>
  repository(db, 'categories', toCategory, fromCategory);
export const unitRepository = (db: Knex | Knex.Transaction) => repository(db, 'units', toUnit, fromUnit);
