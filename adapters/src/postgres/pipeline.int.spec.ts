// BEGIN held back and writes deferred (./pipeline.ts), against the real Postgres: how many writes
// a transaction puts on the socket, and that a deferred write's rows and failures land where they
// would have landed had it gone at once.
import { expect, test } from '@jest/globals';
import { namesTable } from '../testing/names-table';
import { deferWrite } from './pipeline';

const scratch = namesTable('pipeline_spec');
const { table, names } = scratch;

interface Socket {
  _write(...args: unknown[]): unknown;
  _writev(...args: unknown[]): unknown;
}
interface PooledClient {
  connection: { stream: Socket };
  getTransactionStatus(): string | null;
}

/** The pool's one connection (the pool holds at most one). */
async function theConnection(): Promise<PooledClient> {
  const connection = (await scratch.db.client.acquireConnection()) as PooledClient;
  await scratch.db.client.releaseConnection(connection);
  return connection;
}

/** How many writes `work` puts on the connection's socket: corked statements leave in one. */
async function socketWrites(work: () => Promise<unknown>): Promise<number> {
  const { stream } = (await theConnection()).connection;
  let writes = 0;
  stream._write = function (...args) {
    writes++;
    return Object.getPrototypeOf(this)._write.apply(this, args);
  };
  stream._writev = function (...args) {
    writes++;
    return Object.getPrototypeOf(this)._writev.apply(this, args);
  };
  try {
    await work();
  } finally {
    delete (stream as Partial<Socket>)._write;
    delete (stream as Partial<Socket>)._writev;
  }
  return writes;
}

test('BEGIN leaves with the first statement and a deferred write with COMMIT: two writes, not four', async () => {
  const writes = await socketWrites(() =>
    scratch.db.transaction(async (trx) => {
      await trx(table).insert({ id: 1, name: 'now' });
      await deferWrite(trx, trx(table).insert({ id: 2, name: 'deferred' }));
    }),
  );
  expect(writes).toBe(2);
  expect(await names()).toEqual(['now', 'deferred']);
});

test('a transaction that sends no statement puts nothing on the socket, committed or rolled back', async () => {
  const failure = new Error('changed its mind');
  const writes = await socketWrites(async () => {
    await scratch.db.transaction(async () => {});
    await expect(
      scratch.db.transaction(async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
  expect(writes).toBe(0);
  expect((await theConnection()).getTransactionStatus()).toBe('I');
});

test("a deferred write's rows are there for the transaction's next statement", async () => {
  const seen = await scratch.db.transaction(async (trx) => {
    await deferWrite(
      trx,
      trx(table).insert([
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
      ]),
    );
    return trx(table).count({ n: '*' }).first();
  });
  expect(Number(seen?.n)).toBe(2);
});

test('a deferred write that fails fails the COMMIT with its own error, and nothing of the transaction stays', async () => {
  await scratch.db(table).insert({ id: 1, name: 'before' });
  const attempt = scratch.db.transaction(async (trx) => {
    await trx(table).insert({ id: 2, name: 'rolled back' });
    await deferWrite(trx, trx(table).insert({ id: 1, name: 'duplicate' }));
  });
  await expect(attempt).rejects.toMatchObject({ code: '23505', constraint: `${table}_pkey` });
  expect(await names()).toEqual(['before']);
  expect((await theConnection()).getTransactionStatus()).toBe('I');
});

test('a deferred write that fails fails the next statement with its own error, not "transaction aborted"', async () => {
  await scratch.db(table).insert({ id: 1, name: 'before' });
  const attempt = scratch.db.transaction(async (trx) => {
    await deferWrite(trx, trx(table).insert({ id: 1, name: 'duplicate' }));
    await trx(table).select('id');
  });
  await expect(attempt).rejects.toMatchObject({ code: '23505' });
  expect(await names()).toEqual(['before']);
});

test('a first statement that fails behind its BEGIN leaves the connection out of any transaction', async () => {
  const attempt = scratch.db.transaction(async (trx) => {
    await trx(table).insert({ id: 1, name: null });
  });
  await expect(attempt).rejects.toMatchObject({ code: '23502' });
  expect((await theConnection()).getTransactionStatus()).toBe('I');
  await scratch.db(table).insert({ id: 1, name: 'after' });
  expect(await names()).toEqual(['after']);
});

test('outside a transaction a deferred write runs at once', async () => {
  await deferWrite(scratch.db, scratch.db(table).insert({ id: 1, name: 'at once' }));
  expect(await names()).toEqual(['at once']);
});
