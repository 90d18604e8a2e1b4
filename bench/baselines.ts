// The baselines stage: a database of its own on the same Postgres, the bare servers in a process of
// their own, each measured like the project's endpoints; the database is dropped afterwards.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BaselinePorts } from './baseline-server';
import { counter, measure, roundRobin, type LoadSettings, type Target } from './load';
import { baselineOf, type HttpFigures } from './model';

export interface BaselineOptions {
  pgAdminUrl: string;
  runId: string;
  ports: BaselinePorts;
  load: LoadSettings;
  say: (line: string) => void;
}

const ITEMS = 10_000;

const databaseUrl = (adminUrl: string, database: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function startServers(settings: { databaseUrl: string; ports: BaselinePorts }) {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_BASELINE: JSON.stringify(settings) },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((code) => reject(new Error(`the baseline process exited with ${code} before it listened`)));
  });
  return {
    ready,
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ stop: true });
      await exited;
    },
  };
}

/** The bare servers over their database, kept up so they can be measured again later in the run. */
export interface Baselines {
  /** Bare Koa hello, bare Koa + pg primary-key read, bare Koa + pg single insert, in that order. */
  measure(round?: HttpFigures['round']): Promise<HttpFigures[]>;
  /** The baseline of `endpoint`'s kind, run just before it. */
  measureFor(endpoint: Pick<HttpFigures, 'name' | 'kind'>): Promise<HttpFigures>;
  /** Stops the servers and drops their database. */
  close(): Promise<void>;
}

export async function openBaselines(options: BaselineOptions): Promise<Baselines> {
  const { pgAdminUrl, runId, ports, load, say } = options;
  const database = `tulity_bench_${runId.replace(/[^a-z0-9]/g, '_')}`;
  const url = databaseUrl(pgAdminUrl, database);
  const dropDatabase = () =>
    withClient(pgAdminUrl, (admin) => admin.query(`drop database if exists ${database} with (force)`));
  say(`baselines: creating database ${database} with ${ITEMS.toLocaleString('en')} items`);
  await withClient(pgAdminUrl, (admin) => admin.query(`create database ${database}`));
  const ids = Array.from({ length: ITEMS }, () => randomUUID());
  let servers: ReturnType<typeof startServers> | undefined;
  try {
    await withClient(url, async (client) => {
      await client.query(
        'create table items (id uuid primary key, name text not null, created_at timestamptz not null default now())',
      );
      await client.query(`insert into items (id, name) select id, 'item ' || id from unnest($1::uuid[]) as id`, [ids]);
      await client.query('analyze items');
    });
    servers = startServers({ databaseUrl: url, ports });
    await servers.ready;
  } catch (error) {
    await servers?.stop();
    await dropDatabase();
    throw error;
  }
  const nextId = roundRobin(ids);
  const nextName = counter(`bench-${runId}`);
  const targets: Target[] = [
    { name: baselineOf.hello, kind: 'hello', url: `http://127.0.0.1:${ports.hello}/` },
    {
      name: baselineOf.read,
      kind: 'read',
      url: `http://127.0.0.1:${ports.read}/items/${ids[0]}`,
      vary: (request) => ({ ...request, path: `/items/${nextId()}` }),
    },
    {
      name: baselineOf.write,
      kind: 'write',
      url: `http://127.0.0.1:${ports.insert}/items`,
      method: 'POST',
      vary: (request) => ({ ...request, body: JSON.stringify({ name: nextName() }) }),
    },
  ];
  const running = servers;
  return {
    async measure(round) {
      const figures: HttpFigures[] = [];
      for (const target of targets) {
        say(`baselines: ${target.name}${round ? ` (${round} the endpoints)` : ''}`);
        const measured = await measure({ ...target, baseline: true }, load);
        figures.push(round ? { ...measured, round } : measured);
      }
      return figures;
    },
    async measureFor(endpoint) {
      const target = targets.find((candidate) => candidate.kind === endpoint.kind)!;
      say(`baselines: ${target.name} (just before ${endpoint.name})`);
      return { ...(await measure({ ...target, baseline: true }, load)), pairedWith: endpoint.name };
    },
    async close() {
      try {
        await running.stop();
      } finally {
        await dropDatabase();
      }
    },
  };
}

/** The baselines once: open, measure, close. */
export async function runBaselines(options: BaselineOptions): Promise<HttpFigures[]> {
  const baselines = await openBaselines(options);
  try {
    return await baselines.measure();
  } finally {
    await baselines.close();
  }
}
