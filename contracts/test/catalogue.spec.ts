import { describe, test, expect } from '@jest/globals';
import avro from 'avsc';
import { catalogue, consumedBy, entries, eventsOf, readerCatalogue, readerSchema, topics } from '../src/index';
import type { PurchaseRecorded, SaleRequested } from '../src/index';
import { codeOutputs, readmeOutput, stale } from '../scripts/generate';

describe('catalogue', () => {
  test('names every subject topic-recordname, never a client default', () => {
    for (const entry of entries) expect(entry.subject).toBe(`${entry.topic}-${entry.type}`);
  });

  test('keys every event by its aggregate id', () => {
    for (const entry of entries) expect(entry.key).toBe('aggregateId');
  });

  test('gives each topic one producer, the service named in the event namespace', () => {
    for (const entry of entries) {
      expect(entry.producer).toBe(topics[entry.topic as keyof typeof topics].producer);
      expect(
        entry.type.startsWith(`tulity.${entry.producer}.`)
          ? entry.type
          : `${entry.type} is not in tulity.${entry.producer}`,
      ).toBe(entry.type);
    }
  });

  test('lets every event be read by someone', () => {
    expect(entries.filter((entry) => entry.consumers.length === 0).map((entry) => entry.type)).toEqual([]);
  });

  test('has producers write the newest kept version', () => {
    const purchase = catalogue['tulity.transactions.PurchaseRecorded'];
    expect(purchase.version).toBe(2);
    expect(purchase.schema).toBe(purchase.history[1]);
  });

  test('covers the saga on both sides', () => {
    expect(
      eventsOf('transactions')
        .map((e) => e.type)
        .sort(),
    ).toEqual([
      'tulity.transactions.PurchaseRecorded',
      'tulity.transactions.SaleCancelled',
      'tulity.transactions.SaleConfirmed',
      'tulity.transactions.SaleRejected',
      'tulity.transactions.SaleRequested',
      'tulity.transactions.SaleReturned',
    ]);
    // products reserves, releases and adds stock; the accounts events revoke tokens there.
    expect(
      consumedBy('products')
        .map((e) => e.type)
        .sort(),
    ).toEqual([
      'tulity.accounts.SessionRevoked',
      'tulity.accounts.UserDeleted',
      'tulity.accounts.UserUpdated',
      'tulity.transactions.PurchaseRecorded',
      'tulity.transactions.SaleCancelled',
      'tulity.transactions.SaleConfirmed',
      'tulity.transactions.SaleRejected',
      'tulity.transactions.SaleRequested',
      'tulity.transactions.SaleReturned',
    ]);
  });

  test('gives each consumer the reader schema it declared', () => {
    const purchase = catalogue['tulity.transactions.PurchaseRecorded'];

    expect(readerSchema('tulity.transactions.PurchaseRecorded', 'products')).toBe(purchase.history[0]);
    expect(readerSchema('tulity.transactions.PurchaseRecorded', 'notifications')).toBe(purchase.history[1]);
    expect(readerCatalogue('products')['tulity.transactions.PurchaseRecorded']!.schema).toBe(purchase.history[0]);
    expect(() => readerSchema('tulity.transactions.PurchaseRecorded', 'accounts')).toThrow(
      /accounts is not a declared consumer/,
    );
  });

  test('every schema parses and round-trips a value of its generated type', () => {
    const sale: SaleRequested = {
      eventId: '0b7e4f5e-5d0c-4a43-9d0c-0e7c1f0f5a11',
      occurredAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      correlationId: 'c-1',
      aggregateId: 'sale-1',
      cashierId: 'user-1',
      currency: 'EUR',
      totalMinor: 2_450,
      lines: [
        {
          productId: 'p-1',
          unitLevelId: 'box',
          quantity: 2,
          conversionFactor: 12,
          baseQuantity: 24,
          unitPriceMinor: 1_225,
          lineTotalMinor: 2_450,
        },
      ],
    };
    const type = avro.Type.forSchema(catalogue['tulity.transactions.SaleRequested'].schema as avro.Schema);

    // avsc decodes records into class instances; compare their plain data.
    expect(JSON.parse(JSON.stringify(type.fromBuffer(type.toBuffer(sale))))).toEqual(sale);
    for (const entry of entries) expect(() => avro.Type.forSchema(entry.schema as avro.Schema)).not.toThrow();
  });

  test('a v2 producer may leave the new field out and readers get its default', () => {
    const purchase: Omit<PurchaseRecorded, 'supplierInvoiceNumber'> = {
      eventId: '5d1b8c44-37a4-4f0e-8a55-0b0c1d2e3f40',
      occurredAt: 0,
      correlationId: 'c',
      aggregateId: 'purchase-1',
      recordedBy: 'user-1',
      supplierName: 'Acme',
      currency: 'EUR',
      lines: [],
      totalMinor: 0,
    };
    const type = avro.Type.forSchema(catalogue['tulity.transactions.PurchaseRecorded'].schema as avro.Schema);

    expect(type.fromBuffer(type.toBuffer(purchase)).supplierInvoiceNumber).toBe(null);
  });
});

describe('generated code', () => {
  test('types, schemas and the README table match the .avsc files', async () => {
    expect(stale([...codeOutputs(), await readmeOutput()])).toEqual([]);
  });
});
