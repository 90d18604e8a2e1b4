// The baselines, in a process of their own (forked by ./baselines.ts): bare Koa answering a hello,
// bare Koa + pg reading a row by primary key, bare Koa + pg inserting a row. No router, no
// middleware: what the project's app factory and use cases are measured against.
import Koa from 'koa';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';

export interface BaselinePorts {
  hello: number;
  read: number;
  insert: number;
}

const settings = JSON.parse(process.env.BENCH_BASELINE ?? '{}') as { databaseUrl: string; ports: BaselinePorts };
// The services' knex pools hold at most 10 connections: the baseline gets the same.
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });

async function readJson(request: NodeJS.ReadableStream): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text);
}

const hello = new Koa().use((ctx) => {
  ctx.body = { hello: 'world' };
});

const read = new Koa().use(async (ctx) => {
  const id = ctx.path.slice('/items/'.length);
  const { rows } = await pool.query('select * from items where id = $1', [id]);
  if (rows.length === 0) ctx.status = 404;
  else ctx.body = rows[0];
});

const insert = new Koa().use(async (ctx) => {
  const body = (await readJson(ctx.req)) as { name?: unknown };
  const { rows } = await pool.query('insert into items (id, name) values ($1, $2) returning *', [
    randomUUID(),
    String(body.name ?? ''),
  ]);
  ctx.status = 201;
  ctx.body = rows[0];
});

const listen = (app: Koa, port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });

const servers = await Promise.all([
  listen(hello, settings.ports.hello),
  listen(read, settings.ports.read),
  listen(insert, settings.ports.insert),
]);
process.send?.({ ready: true });

process.on('message', async (message: { stop?: boolean }) => {
  if (!message.stop) return;
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
  await pool.end();
  process.exit(0);
});
// The bench died: do not outlive it.
process.on('disconnect', () => process.exit(0));
