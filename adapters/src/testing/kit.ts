// The one test kit of every service's harness: its test database, the app on a free port, and
// one HTTP client. Tests only; services never import it.
import type Koa from 'koa';
import { listen, type RunningServer } from '../http/server';
import { assertTestDatabase, createDatabase, migrateLatest, type Knex } from '../postgres/database';

/** `TULITY_<NAME>_TEST_DATABASE_URL`, or the service's `_test` database on the local Postgres. */
export function testDatabaseUrl(service: string): string {
  const role = `tulity_${service}`;
  return (
    process.env[`TULITY_${service.toUpperCase()}_TEST_DATABASE_URL`] ??
    `postgres://${role}:${role}@127.0.0.1:5432/${role}_test`
  );
}

/** The service's test database, migrated. Refuses any database whose name does not end in `_test`. */
export async function testDatabase(service: string, migrations: string, pool = { min: 0, max: 20 }): Promise<Knex> {
  const url = testDatabaseUrl(service);
  assertTestDatabase(url);
  const db = createDatabase(url, pool);
  await migrateLatest(db, migrations);
  return db;
}

/** The SQL of every statement `work` sends through `db`, BEGIN and COMMIT included, in order. */
export async function statementsOf(db: Knex, work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const listen = (query: { sql: string }) => sent.push(query.sql);
  db.on('query', listen);
  try {
    await work();
  } finally {
    db.off('query', listen);
  }
  return sent;
}

/**
 * Ends the server session running a statement whose text holds `marker`, as a restart or a
 * failover would, once that statement has started.
 */
export async function terminateSessionRunning(url: string, marker: string): Promise<void> {
  const watcher = createDatabase(url, { min: 0, max: 1 });
  try {
    for (;;) {
      const { rows } = await watcher.raw(
        `select pg_terminate_backend(pid) as done from pg_stat_activity where query like ? and pid <> pg_backend_pid()`,
        [`%${marker}%`],
      );
      if (rows.some((row: { done: boolean }) => row.done)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await watcher.destroy();
  }
}

/** Empties every table of the database but knex's own, in one statement. */
export async function emptyTables(db: Knex): Promise<void> {
  const { rows } = await db.raw<{ rows: Array<{ tablename: string }> }>(
    `select tablename from pg_tables where schemaname = current_schema() and tablename not like 'knex_migrations%'`,
  );
  if (rows.length > 0) await db.raw(`truncate ${rows.map((r) => `"${r.tablename}"`).join(', ')} cascade`);
}

export const brokers = (process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const registryUrl = process.env.TULITY_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  body: any;
}

export interface CallOptions {
  /** An access token, sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as JSON; a string is sent as it is (for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpClient {
  url: string;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
}

export function httpClient(url: string): HttpClient {
  return {
    url,
    async call(method, path, { token, body, headers = {} } = {}) {
      const sent: Record<string, string> = { ...headers };
      if (token) sent.authorization = `Bearer ${token}`;
      if (body !== undefined && !Object.keys(sent).some((h) => h.toLowerCase() === 'content-type'))
        sent['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers: sent,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
  };
}

export interface RunningHttp extends HttpClient {
  server: RunningServer;
  close(): Promise<void>;
}

/** The app on a free loopback port, with a client for it. */
export async function startHttp(app: Koa<any>): Promise<RunningHttp> {
  const server = await listen(app, 0, '127.0.0.1');
  return { ...httpClient(`http://127.0.0.1:${server.port}`), server, close: () => server.close() };
}
