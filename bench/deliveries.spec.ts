import { describe, expect, test } from '@jest/globals';
import { countDeliveries, endToEnd, type InboxRow, type WrittenEvent } from './deliveries';

const consumers: Record<string, string[]> = {
  'shop.PurchaseRecorded': ['products', 'notifications'],
  'shop.StockChanged': ['transactions'],
  'shop.Nobody': [],
};
const consumersOf = (type: string) => consumers[type] ?? [];

const event = (eventId: string, type: string, createdAt = 1000): WrittenEvent => ({ eventId, type, createdAt });
const row = (service: string, eventId: string, appliedAt = 1010): InboxRow => ({ service, eventId, appliedAt });

describe('delivery count', () => {
  test('every event applied once by each of its consumers: nothing lost, nothing twice', () => {
    const written = [
      event('e1', 'shop.PurchaseRecorded'),
      event('e2', 'shop.StockChanged'),
      event('e3', 'shop.Nobody'),
    ];
    const inbox = [row('products', 'e1'), row('notifications', 'e1'), row('transactions', 'e2')];
    expect(countDeliveries(written, consumersOf, inbox)).toEqual({
      written: 3,
      expected: 3,
      applied: 3,
      lost: 0,
      appliedTwice: 0,
      lostSample: [],
      duplicates: [],
      skipped: [],
      elsewhere: [],
    });
  });

  test('a consumer without an inbox row for an event is a loss, named with the event and the consumer', () => {
    const written = [event('e1', 'shop.PurchaseRecorded'), event('e2', 'shop.StockChanged')];
    const inbox = [row('products', 'e1'), row('transactions', 'e2')];
    const counted = countDeliveries(written, consumersOf, inbox);
    expect(counted.lost).toBe(1);
    expect(counted.applied).toBe(2);
    expect(counted.lostSample).toEqual(['shop.PurchaseRecorded e1 → notifications']);
  });

  test("another service's inbox row does not stand in for the consumer's", () => {
    const counted = countDeliveries([event('e2', 'shop.StockChanged')], consumersOf, [row('products', 'e2')]);
    expect(counted.lost).toBe(1);
  });

  test('two inbox rows for one event and consumer, or an effect seen twice, count as applied twice', () => {
    const written = [event('e2', 'shop.StockChanged')];
    const inbox = [row('transactions', 'e2'), row('transactions', 'e2')];
    const duplicate = { what: 'stock movement purchase of product p1', key: 'purchase-1', count: 2 };
    const counted = countDeliveries(written, consumersOf, inbox, [duplicate]);
    expect(counted.appliedTwice).toBe(2);
    expect(counted.lost).toBe(0);
    expect(counted.duplicates).toEqual([duplicate]);
  });

  test('an outbox row read twice is one event written', () => {
    const written = [event('e2', 'shop.StockChanged'), event('e2', 'shop.StockChanged')];
    const counted = countDeliveries(written, consumersOf, [row('transactions', 'e2')]);
    expect(counted).toMatchObject({ written: 1, expected: 1, applied: 1, lost: 0 });
  });
});

describe('end-to-end latency', () => {
  test('per event type and consumer, from the outbox row to the inbox row', () => {
    const written = [event('e1', 'shop.PurchaseRecorded', 1000), event('e2', 'shop.PurchaseRecorded', 2000)];
    const inbox = [
      row('products', 'e1', 1020),
      row('products', 'e2', 2040),
      row('notifications', 'e1', 1100),
      row('products', 'unrelated', 5),
    ];
    expect(endToEnd(written, inbox)).toEqual([
      { type: 'shop.PurchaseRecorded', service: 'notifications', count: 1, p50: 100, p99: 100, max: 100 },
      { type: 'shop.PurchaseRecorded', service: 'products', count: 2, p50: 20, p99: 40, max: 40 },
    ]);
  });
});
