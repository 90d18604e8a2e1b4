import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import PgDialect from 'knex/lib/dialects/postgres/index.js';
import { withWaiting } from './pipeline';

/**
 * How many statements a connection keeps prepared. The hot paths use a few dozen texts; lists of
 * varying length (`in (?, ?, …)`) make more, and past the cap they run unprepared, as before.
 */
export const preparedPerConnection = 200;

const isQuery = (text: string) => /^\s*(select|with)\b/i.test(text);
const selectsEveryColumn = (text: string) => /(?<!\()\*/.test(text);

/** Columns as a statement names them where their table goes by `alias` (`p.id`, `p.sku`, …): never `p.*`. */
export const qualified = (alias: string, columns: readonly string[]) => columns.map((column) => `${alias}.${column}`);

/** A statement's name: the same on every connection and every process, for the same text. */
export function statementName(text: string): string {
  return `k${createHash('sha1').update(text).digest('base64url')}`;
}

/** A text worked out once: its name, absent when it may never be prepared, and whether it is a query. */
interface Known {
  name?: string;
  query: boolean;
}

/**
 * How many texts are remembered. The hot paths run a few dozen texts thousands of times a second,
 * and naming one (a SHA-1) and checking it (two expressions) on every run was 3 % of a product
 * detail's CPU. Lists of varying length make new texts: past the bound, a text is worked out on
 * each run, as before.
 */
export const rememberedTexts = 1000;
const known = new Map<string, Known>();

/**
 * The name to prepare `text` under when run with `values`, or undefined when it goes as it is.
 * A statement is prepared when it has parameters, or it is a query without them, which the
 * simple protocol plans afresh on every run and a prepared statement plans once (a statement
 * without parameters has one plan, so nothing is lost by keeping it); and no `*` in its columns,
 * since a prepared `select *` fails ("cached plan must not change result type") once a migration
 * adds a column under a running replica. `count(*)` is fine. Other statements without parameters
 * (BEGIN, DDL, several commands in one text) go as they are.
 */
export function preparedName(text: string, values: readonly unknown[]): string | undefined {
  let found = known.get(text);
  if (!found) {
    found = { name: selectsEveryColumn(text) ? undefined : statementName(text), query: isQuery(text) };
    if (known.size < rememberedTexts) known.set(text, found);
  }
  return values.length > 0 || found.query ? found.name : undefined;
}

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  options?: { name?: string };
}

type PgDialectClass = new (config: Knex.Config) => Knex.Client & {
  _query(connection: object, query: QueryObject): Promise<unknown>;
};

// Per connection, not per client: a knex transaction runs on a copy of the client's prototype
// that has none of the instance's fields.
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * Knex's pg dialect, preparing each statement by name on the connection that runs it: Postgres
 * then parses it once per connection and, after a few runs, reuses a generic plan. Parsing and
 * planning were the largest part of Postgres's time in the services' writes (1.7 ms of 4.3 per
 * new product, across every database its event reaches), more than executing. It also holds back
 * BEGIN and deferred writes to send them with the next statement (./pipeline.ts).
 */
export class PreparingPgClient extends (PgDialect as unknown as PgDialectClass) {
  override _query(connection: object, query: QueryObject): Promise<unknown> {
    return withWaiting(this, connection, query, (statement) => this.prepared(connection, statement as QueryObject));
  }

  private prepared(connection: object, query: QueryObject): Promise<unknown> {
    const name = query.options?.name === undefined ? preparedName(query.sql, query.bindings ?? []) : undefined;
    if (name !== undefined) {
      let names = preparedOn.get(connection);
      if (!names) preparedOn.set(connection, (names = new Set()));
      if (names.has(name) || names.size < preparedPerConnection) {
        names.add(name);
        query.options = { ...query.options, name };
      }
    }
    return super._query(connection, query);
  }
}
