import type { Knex } from 'knex';
import { createBackboneTables, dropBackboneTables } from '@tulity/adapters/events/tables';
import { createRevocationTable, dropRevocationTable } from '@tulity/adapters/auth/revocation';

export async function up(knex: Knex): Promise<void> {
  await createBackboneTables(knex);
  await createRevocationTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropRevocationTable(knex);
  await dropBackboneTables(knex);
}
