// A table of (id, name) rows on a pool of ONE connection to the adapters' test database, emptied
// before each test: a transaction that kept its connection, or left it inside a transaction, shows
// in the next test. For the specs of what transactions put on the wire and leave behind.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { createDatabase, type Knex } from '../postgres/database';
import { testDatabaseUrl } from './events';

export interface NamesTable {
  table: string;
  /** The pool, once `beforeAll` has opened it. */
  readonly db: Knex;
  /** The names in the table, by id. */
  names(): Promise<string[]>;
}

/** Registers the table's hooks in the calling spec; `prefix` names it, with the process id. */
export function namesTable(prefix: string): NamesTable {
  const table = `${prefix}_${process.pid}`;
  let db: Knex | undefined;
  const opened = () => {
    if (!db) throw new Error(`${table} is used before beforeAll opened its pool`);
    return db;
  };
  beforeAll(async () => {
    db = createDatabase(testDatabaseUrl, { min: 0, max: 1 });
    await db.schema.createTable(table, (t) => {
      t.integer('id').primary();
      t.text('name').notNullable();
    });
  });
  beforeEach(async () => {
    await opened()(table).delete();
  });
  afterAll(async () => {
    await db?.schema.dropTableIfExists(table);
    await db?.destroy();
  });
  return {
    table,
    get db() {
      return opened();
    },
    names: async () => (await opened()(table).orderBy('id').pluck('name')) as string[],
  };
}
