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

/** Bare Koa hello, bare Koa + pg primary-key read, bare Koa + pg single insert, in that order. */
export async function runBaselines(options: BaselineOptions): Promise<HttpFigures[]> {
  const { pgAdminUrl, runId, ports, load, say } = options;
  const database = `tulity_bench_${runId.replace(/[^a-z0-9]/g, '_')}`;
  const url = databaseUrl(pgAdminUrl, database);
  say(`baselines: creating database ${database} with ${ITEMS.toLocaleString('en')} items`);
  await withClient(pgAdminUrl, (admin) => admin.query(`create database ${database}`));
  try {
    const ids = Array.from({ length: ITEMS }, () => randomUUID());
    await withClient(url, async (client) => {
      await client.query(
        'create table items (id uuid primary key, name text not null, created_at timestamptz not null default now())',
      );
      await client.query(`insert into items (id, name) select id, 'item ' || id from unnest($1::uuid[]) as id`, [ids]);
      await client.query('analyze items');
    });
    const servers = startServers({ databaseUrl: url, ports });
    try {
      await servers.ready;
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
      const figures: HttpFigures[] = [];
      for (const target of targets) {
        say(`baselines: ${target.name}`);
        figures.push(await measure({ ...target, baseline: true }, load));
      }
      return figures;
    } finally {
      await servers.stop();
    }
  } finally {
    await withClient(pgAdminUrl, (admin) => admin.query(`drop database if exists ${database} with (force)`));
  }
}
