// How many statements a sale and a purchase send to Postgres, counted through knex's `query`
// event against the real test database. Each one is a round trip and knex's query building, and
// they, not Postgres' own work, decide what a write costs (docs/performance.md). The count is a
// property of the code, not a speed: it does not depend on the machine or its load.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor } from '@tulity/adapters/core/actor';
import type { Knex } from '@tulity/adapters/postgres/database';
import { statementsOf as statementsSentBy, testDatabase } from '@tulity/adapters/testing/kit';
import { buildUseCases, migrations, transactionsDeps } from '../src/main';

let db: Knex;
let useCases: ReturnType<typeof buildUseCases>;
/** Three catalogue products, each with a priced piece level and an unpriced box level. */
const pieces: Array<{ productId: string; unitLevelId: string }> = [];
const cashier: Actor = { userId: randomUUID(), role: 'cashier', sessionId: 'statements' };
const manager: Actor = { userId: randomUUID(), role: 'manager', sessionId: 'statements' };

beforeAll(async () => {
  // The rows are written straight into the read model (no products service, no Kafka) with ids
  // of their own, so the tables of other suites are left as they are.
  db = await testDatabase('transactions', migrations);
  useCases = buildUseCases(transactionsDeps(db, { currency: 'EUR', saleDeadlineMs: 30_000 }));
  for (let i = 0; i < 3; i++) {
    const productId = randomUUID();
    const unitLevelId = randomUUID();
    await db('catalogue_products').insert({
      id: productId,
      sku: `STATEMENTS-${productId}`,
      name: 'Cola',
      active: true,
    });
    await db('catalogue_unit_levels').insert([
      { id: unitLevelId, product_id: productId, unit_name: 'piece', conversion_factor: 1 },
      { id: randomUUID(), product_id: productId, unit_name: 'box', conversion_factor: 24 },
    ]);
    await db('catalogue_prices').insert({
      unit_level_id: unitLevelId,
      product_id: productId,
      currency: 'EUR',
      sell_price_minor: 150,
      buy_price_minor: 90,
    });
    pieces.push({ productId, unitLevelId });
  }
  // A first sale opens the pool's connection, so the counts below hold nothing of its set-up.
  await sale(1);
});
afterAll(async () => {
  await db?.destroy();
});

/** The SQL of every statement `work` sends, BEGIN and COMMIT included. */
const statementsOf = async (work: () => Promise<unknown>) =>
  (await statementsSentBy(db, work)).map((sql) => sql.replace(/\s+/g, ' ').trim());

const linesOf = (count: number) => pieces.slice(0, count).map((piece) => ({ ...piece, quantity: 2 }));
const keyed = (key: string | undefined, fingerprint: string) => (key ? { idempotency: { key, fingerprint } } : {});
function sale(lineCount: number, key?: string, correlationId = randomUUID()) {
  return useCases.recordSale({
    actor: cashier,
    correlationId,
    lines: linesOf(lineCount),
    ...keyed(key, `sale ${lineCount}`),
  });
}
function purchase(lineCount: number, key?: string) {
  return useCases.recordPurchase({
    actor: manager,
    correlationId: randomUUID(),
    supplierName: 'Acme',
    lines: linesOf(lineCount),
    ...keyed(key, `purchase ${lineCount}`),
  });
}

/** The tables a statement inserts into or updates, in order. */
const written = (sql: string) => [...sql.matchAll(/(?:insert into|update) "?(\w+)"?/g)].map((match) => match[1]);

/**
 * BEGIN, the key's claim when there is a key, the catalogue read, ONE statement writing every
 * row, COMMIT; the tables of that statement are checked apart, by `written`.
 */
function expectShape(sent: string[], writes: string[]) {
  const claimed = writes.includes('idempotency_keys');
  expect(sent).toEqual([
    'BEGIN;',
    ...(claimed ? [expect.stringMatching(/^insert into idempotency_keys /)] : []),
    expect.stringMatching(/^select .* from "catalogue_products" /),
    expect.stringMatching(/^with w0 as \(/),
    'COMMIT;',
  ]);
  expect(written(sent.at(-2)!)).toEqual(writes);
}

describe('statements per request', () => {
  test.each([1, 3])('a sale of %i line(s): 4 statements, 5 with an Idempotency-Key', async (lineCount) => {
    expectShape(await statementsOf(() => sale(lineCount)), ['sales', 'sale_lines', 'event_outbox']);
    expectShape(await statementsOf(() => sale(lineCount, randomUUID())), [
      'sales',
      'sale_lines',
      'event_outbox',
      'idempotency_keys',
    ]);
  });

  test.each([1, 3])('a purchase of %i line(s): 4 statements, 5 with an Idempotency-Key', async (lineCount) => {
    expectShape(await statementsOf(() => purchase(lineCount)), ['purchases', 'purchase_lines', 'event_outbox']);
    expectShape(await statementsOf(() => purchase(lineCount, randomUUID())), [
      'purchases',
      'purchase_lines',
      'event_outbox',
      'idempotency_keys',
    ]);
  });

  test("the one write holds the sale, its lines, its outbox row and the key's response, committed", async () => {
    const key = randomUUID();
    const correlationId = randomUUID();
    const answer = await sale(3, key, correlationId);
    expect((await db('sales').where({ id: answer.id })).length).toBe(1);
    expect((await db('sale_lines').where({ sale_id: answer.id }).orderBy('position')).map((l) => l.product_id)).toEqual(
      pieces.map((piece) => piece.productId),
    );
    const outbox = await db('event_outbox').where({ correlation_id: correlationId });
    expect(outbox.map((row) => [row.event_type, row.key])).toEqual([['tulity.transactions.SaleRequested', answer.id]]);
    const stored = await db('idempotency_keys').where({ user_id: cashier.userId, key }).first();
    expect([stored.status, stored.response]).toEqual([201, answer]);
  });

  test('a replay reads the stored answer and writes nothing: 4 statements', async () => {
    const key = randomUUID();
    const first = await sale(1, key);
    let replay: unknown;
    const sent = await statementsOf(async () => {
      replay = await sale(1, key);
    });
    expect(replay).toEqual(first);
    expect(sent).toEqual([
      'BEGIN;',
      expect.stringMatching(/^insert into idempotency_keys /),
      expect.stringMatching(/^select "fingerprint", "status", "response" from "idempotency_keys" /),
      'COMMIT;',
    ]);
  });

  test('a queued write that fails fails the request, and its key, rows and outbox row roll back together', async () => {
    // Ids that were used before: the sale's insert breaks the primary key when the batch is sent.
    const deps = transactionsDeps(db, { currency: 'EUR', saleDeadlineMs: 30_000 });
    const reused = randomUUID();
    const again = buildUseCases({ ...deps, ids: { newId: () => reused } });
    const attempt = (key: string, correlationId: string) =>
      again.recordSale({ actor: cashier, correlationId, lines: linesOf(1), idempotency: { key, fingerprint: 'f' } });
    await attempt(randomUUID(), randomUUID());
    const key = randomUUID();
    const correlationId = randomUUID();
    await expect(attempt(key, correlationId)).rejects.toThrow(/duplicate key value violates unique constraint/);
    expect(await db('idempotency_keys').where({ user_id: cashier.userId, key })).toEqual([]);
    expect(await db('event_outbox').where({ correlation_id: correlationId })).toEqual([]);
  });
});

describe("inside the consumer's inbox transaction", () => {
  test('a use case joins it, without a savepoint, and its rows roll back with it', async () => {
    const supplierName = `joined ${randomUUID()}`;
    let statements: string[] = [];
    await expect(
      db.transaction(async (inbox) => {
        const inside = buildUseCases(transactionsDeps(inbox, { currency: 'EUR', saleDeadlineMs: 30_000 }));
        statements = await statementsOf(() =>
          inside.recordPurchase({ actor: manager, correlationId: randomUUID(), supplierName, lines: linesOf(1) }),
        );
        throw new Error('a later event of the run failed');
      }),
    ).rejects.toThrow('a later event of the run failed');

    expect(statements.filter((sql) => /savepoint/i.test(sql))).toEqual([]);
    expect(statements.filter((sql) => /^(begin|commit)/i.test(sql))).toEqual([]);
    expect(await db('purchases').where({ supplier_name: supplierName }).first()).toBeUndefined();
  });
});
