import { describe, test, expect } from '@jest/globals';
import type { Knex } from 'knex';
import { createOutbox, EventValidationError } from './outbox';
import { OUTBOX_TABLE } from './tables';

const definition = {
  type: 'tulity.test.PriceChanged',
  topic: 'test.price',
  subject: 'test.price-tulity.test.PriceChanged',
  schema: {
    type: 'record',
    name: 'PriceChanged',
    namespace: 'tulity.test',
    fields: [
      { name: 'eventId', type: 'string' },
      { name: 'occurredAt', type: 'long' },
      { name: 'correlationId', type: 'string' },
      { name: 'aggregateId', type: 'string' },
      {
        name: 'price',
        type: {
          type: 'record',
          name: 'Money',
          fields: [
            { name: 'amountMinor', type: 'long' },
            { name: 'currency', type: 'string' },
          ],
        },
      },
      { name: 'note', type: ['null', 'string'], default: null },
    ],
  },
};
const catalogue = { [definition.type]: definition };

function fakeTransaction() {
  const inserts: Array<{ table: string; rows: any[] }> = [];
  const trx = ((table: string) => ({
    insert: async (rows: any[]) => {
      inserts.push({ table, rows });
    },
  })) as unknown as Knex.Transaction;
  return { trx, inserts };
}

const payload = (overrides: Record<string, unknown> = {}) => ({
  eventId: 'e-1',
  occurredAt: 1_700_000_000_000,
  correlationId: 'c-1',
  aggregateId: 'p-1',
  price: { amountMinor: 1250, currency: 'EUR' },
  note: null,
  ...overrides,
});

describe('outbox writer', () => {
  test("writes one row per event into the caller's transaction, with topic, key, ids and the JSON payload", async () => {
    const { trx, inserts } = fakeTransaction();
    await createOutbox(catalogue).write(trx, [
      { type: definition.type, key: 'p-1', payload: payload() },
      { type: definition.type, key: 'p-1', payload: payload({ eventId: 'e-2', note: 'sale' }) },
    ]);
    expect(inserts.length).toBe(1);
    expect(inserts[0]!.table).toBe(OUTBOX_TABLE);
    expect(
      inserts[0]!.rows.map((row) => [row.event_id, row.event_type, row.topic, row.key, row.correlation_id]),
    ).toEqual([
      ['e-1', definition.type, 'test.price', 'p-1', 'c-1'],
      ['e-2', definition.type, 'test.price', 'p-1', 'c-1'],
    ]);
    expect(JSON.parse(inserts[0]!.rows[1].payload)).toEqual(payload({ eventId: 'e-2', note: 'sale' }));
  });

  test('rejects a payload that breaks its Avro schema, naming the field, and writes nothing', async () => {
    const { trx, inserts } = fakeTransaction();
    const write = createOutbox(catalogue).write(trx, [
      { type: definition.type, key: 'p-1', payload: payload() },
      { type: definition.type, key: 'p-1', payload: payload({ price: { amountMinor: 12.5, currency: 'EUR' } }) },
    ]);
    await expect(write).rejects.toBeInstanceOf(EventValidationError);
    await expect(write).rejects.toThrow(/price\.amountMinor: expected long, got 12\.5/);
    expect(inserts.length).toBe(0);
  });

  test('names a missing field', async () => {
    const { trx } = fakeTransaction();
    const { correlationId: _, ...withoutCorrelation } = payload();
    await expect(
      createOutbox(catalogue).write(trx, [{ type: definition.type, key: 'p-1', payload: withoutCorrelation }]),
    ).rejects.toThrow(/correlationId: expected string, got undefined/);
  });

  test('rejects an event type the catalogue does not know, listing the known ones', async () => {
    const { trx } = fakeTransaction();
    await expect(
      createOutbox(catalogue).write(trx, [{ type: 'tulity.test.Nope', key: 'x', payload: payload() }]),
    ).rejects.toThrow(/"tulity\.test\.Nope" is not in the catalogue \(known: tulity\.test\.PriceChanged\)/);
  });

  test('rejects an empty eventId, which the inbox could not deduplicate on', async () => {
    const { trx } = fakeTransaction();
    await expect(
      createOutbox(catalogue).write(trx, [{ type: definition.type, key: 'p-1', payload: payload({ eventId: '' }) }]),
    ).rejects.toThrow(/eventId: expected a non-empty string/);
  });

  test('writes nothing for no events', async () => {
    const { trx, inserts } = fakeTransaction();
    await createOutbox(catalogue).write(trx, []);
    expect(inserts.length).toBe(0);
  });
});
