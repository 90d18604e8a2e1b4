// The sale saga end to end with the REAL products service: HTTP → transactions' outbox → relay →
// Kafka → products' consumer (reserve/release/receive) → products' outbox → relay → Kafka →
// transactions' consumer, on the shared broker and registry and both services' test databases.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { catalogue } from '@tulity/contracts';
import { avroType } from '@tulity/adapters/events/avro';
import { createRegistryClient } from '@tulity/adapters/events/registry';
import { encodeWire } from '@tulity/adapters/events/wire';
import { createMetrics } from '@tulity/adapters/metrics';
import { registryUrl } from '@tulity/adapters/testing/kit';
import { counterTotal } from '@tulity/adapters/testing/events';
import { buildProduct, settled, startSystem, stockOf, uniqueSku, waitFor, type Caller, type System } from './harness';

let system: System;
let manager: Caller;
let cashier: Caller;

beforeAll(async () => {
  system = await startSystem();
  manager = await system.as('manager');
  cashier = await system.as('cashier');
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

/** Records a purchase through transactions and waits until products counted it. */
async function stockUp(productId: string, unitLevelId: string, quantity: number, expectedStock: number) {
  const answer = await manager.call('POST', '/api/v1/purchases', {
    body: { supplierName: 'Acme', supplierReference: 'INV-1', lines: [{ productId, unitLevelId, quantity }] },
  });
  expect(answer.status).toBe(201);
  await waitFor(
    'the purchase to reach the stock',
    async () => (await stockOf(system, productId)).counted === expectedStock,
  );
}

const sell = (lines: object[], caller = cashier) =>
  caller.call('POST', '/api/v1/sales', { body: { lines, paymentMethod: 'card' } });

describe('the sale saga with products', () => {
  test('a sale that fits is confirmed and takes its base quantity; one that does not is rejected and takes nothing', async () => {
    const { productId, piece, box } = await buildProduct(system, uniqueSku('fit'));
    await stockUp(productId, box, 3, 72);

    const fits = await sell([
      { productId, unitLevelId: box, quantity: 2 },
      { productId, unitLevelId: piece, quantity: 3 },
    ]);
    expect([fits.status, fits.body.status, fits.body.totalMinor]).toEqual([201, 'pending', 6850]);
    const confirmed = await settled(cashier, fits.body.id);
    expect(confirmed.status).toBe('confirmed');
    expect(await stockOf(system, productId)).toEqual({ counted: 72 - 51, ledger: 72 - 51 });

    const tooMuch = await sell([{ productId, unitLevelId: box, quantity: 1 }]);
    const rejected = await settled(cashier, tooMuch.body.id);
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejection.shortages).toEqual([{ productId, requestedBase: 24, availableBase: 21 }]);
    expect(await stockOf(system, productId)).toEqual({ counted: 21, ledger: 21 });
  }, 60_000);

  test('cancelling a confirmed sale gives its stock back', async () => {
    const { productId, piece } = await buildProduct(system, uniqueSku('cancel'));
    await stockUp(productId, piece, 10, 10);
    const sale = await sell([{ productId, unitLevelId: piece, quantity: 4 }]);
    expect((await settled(cashier, sale.body.id)).status).toBe('confirmed');
    expect((await stockOf(system, productId)).counted).toBe(6);
    const cancelled = await cashier.call('POST', `/api/v1/sales/${sale.body.id}/cancel`, {
      body: { reason: 'customer changed their mind' },
    });
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    await waitFor(
      'the cancelled sale to give its stock back',
      async () => (await stockOf(system, productId)).counted === 10,
    );
    expect(await stockOf(system, productId)).toEqual({ counted: 10, ledger: 10 });
  }, 60_000);

  test('returning goods of a confirmed sale puts them back into stock', async () => {
    const { productId, piece } = await buildProduct(system, uniqueSku('return'));
    await stockUp(productId, piece, 10, 10);
    const sale = await settled(cashier, (await sell([{ productId, unitLevelId: piece, quantity: 5 }])).body.id);
    expect(sale.status).toBe('confirmed');
    expect((await stockOf(system, productId)).counted).toBe(5);
    const returned = await manager.call('POST', `/api/v1/sales/${sale.id}/returns`, {
      body: { lines: [{ saleLineId: sale.lines[0].id, quantity: 2 }], reason: 'dented' },
    });
    expect([returned.status, returned.body.return.refundMinor, returned.body.sale.lines[0].returnedQuantity]).toEqual([
      201, 300, 2,
    ]);
    await waitFor(
      'the return to reach the stock',
      async () => (await stockOf(system, productId)).counted === 7,
      30_000,
    );
    expect(await stockOf(system, productId)).toEqual({ counted: 7, ledger: 7 });
  }, 60_000);

  test('a sale past its deadline is cancelled, and the reservation that comes after is released', async () => {
    const { productId, piece } = await buildProduct(system, uniqueSku('late'));
    await stockUp(productId, piece, 10, 10);
    const hasty = await system.startTransactionsApi({ ...system.settings, saleDeadlineMs: 1500 });
    const hastyCashier = await system.as('cashier', hasty);
    const reservedBefore = await system
      .db('event_inbox')
      .where({ event_type: 'tulity.products.StockReserved', group_id: system.groupId })
      .count({ n: '*' })
      .first();

    // Products reserves while transactions hears nothing: its answer arrives after the deadline.
    await system.stopConsumer();
    const sale = await sell([{ productId, unitLevelId: piece, quantity: 3 }], hastyCashier);
    await waitFor('products to reserve', async () => (await stockOf(system, productId)).counted === 7);
    const cancelled = await settled(hastyCashier, sale.body.id);
    expect([cancelled.status, cancelled.cancellation.by]).toEqual(['cancelled', 'system']);
    await waitFor(
      'products to release the late reservation',
      async () => (await stockOf(system, productId)).counted === 10,
    );

    await system.startConsumer();
    await waitFor('transactions to read the late StockReserved', async () => {
      const now = await system
        .db('event_inbox')
        .where({ event_type: 'tulity.products.StockReserved', group_id: system.groupId })
        .count({ n: '*' })
        .first();
      return Number(now?.n) > Number(reservedBefore?.n);
    });
    expect((await hastyCashier.call('GET', `/api/v1/sales/${sale.body.id}`)).body.status).toBe('cancelled');
    expect(await system.db('event_outbox').where({ key: sale.body.id }).pluck('event_type')).toEqual([
      'tulity.transactions.SaleRequested',
      'tulity.transactions.SaleCancelled',
    ]);
    expect(await stockOf(system, productId)).toEqual({ counted: 10, ledger: 10 });
  }, 90_000);

  test('50 concurrent sales racing for the last 20 units never oversell, and counted stock equals the ledger', async () => {
    const { productId, piece } = await buildProduct(system, uniqueSku('race'));
    await stockUp(productId, piece, 20, 20);
    const cashiers = await Promise.all(Array.from({ length: 5 }, () => system.as('cashier')));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sell([{ productId, unitLevelId: piece, quantity: 1 }], cashiers[i % 5])),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const outcomes = await Promise.all(answers.map((a, i) => settled(cashiers[i % 5]!, a.body.id)));
    const confirmed = outcomes.filter((s) => s.status === 'confirmed').length;
    expect([confirmed, outcomes.length - confirmed]).toEqual([20, 30]);
    expect(await stockOf(system, productId)).toEqual({ counted: 0, ledger: 0 });
  }, 120_000);

  test('a PriceChanged written with v1 (no buy price) is read with v2: the sell price changes, the known buy price stays', async () => {
    const { productId, piece } = await buildProduct(system, uniqueSku('v1'));
    const type = 'tulity.products.PriceChanged';
    const definition = system.incoming[type]!;
    const v1 = catalogue[type].history[0]!;
    const schemaId = await createRegistryClient(registryUrl).idOf(definition.subject, v1);
    const payload = {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      correlationId: randomUUID(),
      aggregateId: productId,
      unitLevelId: piece,
      currency: 'EUR',
      previousPriceMinor: 150,
      priceMinor: 175,
    };
    const producer = system.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: definition.topic,
      acks: -1,
      messages: [{ key: productId, value: encodeWire(schemaId, avroType(v1).toBuffer(payload)) }],
    });
    await producer.disconnect();
    const price = () => system.db('catalogue_prices').where({ unit_level_id: piece }).first();
    await waitFor('the v1 price to reach the read model', async () => Number((await price()).sell_price_minor) === 175);
    expect(Number((await price()).buy_price_minor)).toBe(90);
  }, 60_000);

  test('redelivered events (offsets rewound, and a group without an inbox history) change nothing', async () => {
    const snapshot = async () => ({
      sales: await system.db('sales').orderBy('id').select('id', 'status', 'updated_at'),
      lines: await system.db('sale_lines').orderBy('id').select('id', 'returned_quantity'),
      outbox: Number((await system.db('event_outbox').count({ n: '*' }).first())?.n),
      prices: await system.db('catalogue_prices').orderBy('unit_level_id'),
      stock: await system
        .productsDb('product_stock')
        .whereIn('product_id', await system.db('catalogue_products').pluck('id'))
        .orderBy('product_id')
        .select('product_id', 'quantity'),
      movements: Number((await system.productsDb('stock_movements').count({ n: '*' }).first())?.n),
    });
    // Its own confirmed, rejected and cancelled sales, so it stands alone too.
    const { productId, piece } = await buildProduct(system, uniqueSku('again'));
    await stockUp(productId, piece, 5, 5);
    const kept = await settled(cashier, (await sell([{ productId, unitLevelId: piece, quantity: 3 }])).body.id);
    const refused = await settled(cashier, (await sell([{ productId, unitLevelId: piece, quantity: 3 }])).body.id);
    expect([kept.status, refused.status]).toEqual(['confirmed', 'rejected']);
    await cashier.call('POST', `/api/v1/sales/${kept.id}/cancel`, { body: { reason: 'wrong customer' } });
    await waitFor('the cancel to give the stock back', async () => (await stockOf(system, productId)).counted === 5);
    await waitFor(
      'the transactions outbox to be published',
      async () => (await system.db('event_outbox').whereNull('published_at').first()) === undefined,
    );
    const applied = Number(
      (await system.db('event_inbox').where({ group_id: system.groupId }).count({ n: '*' }).first())?.n,
    );
    const appliedByProducts = Number(
      (await system.productsDb('event_inbox').where({ group_id: system.productsGroupId }).count({ n: '*' }).first())?.n,
    );
    const before = await snapshot();

    // Both groups start again from offset 0: every event comes back.
    await Promise.all([system.stopConsumer(), system.stopProductsConsumer()]);
    const admin = system.kafka.admin();
    await admin.connect();
    const topicsOf = (catalogue: Record<string, { topic: string }>, types: string[]) => [
      ...new Set(types.map((type) => catalogue[type]!.topic)),
    ];
    const rewind: Array<[string, string[]]> = [
      [system.groupId, topicsOf(system.incoming, ['tulity.products.ProductCreated', 'tulity.products.StockReserved'])],
      [
        system.productsGroupId,
        topicsOf(system.outgoing, ['tulity.transactions.SaleRequested', 'tulity.transactions.PurchaseRecorded']),
      ],
    ];
    for (const [groupId, topics] of rewind) {
      for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
    }
    await admin.disconnect();
    const metrics = createMetrics('transactions');
    const productsMetrics = createMetrics('products');
    await system.startConsumer({ metrics });
    await system.startProductsConsumer({ metrics: productsMetrics });
    await waitFor(
      'every event to come back as a duplicate',
      async () =>
        (await counterTotal(metrics.registry, 'consumer_duplicates_total')) >= applied &&
        (await counterTotal(productsMetrics.registry, 'consumer_duplicates_total')) >= appliedByProducts,
    );
    expect(await counterTotal(metrics.registry, 'consumer_processed_total')).toBe(0);
    expect(await snapshot()).toEqual(before);

    // A new group has no inbox history: only the state machine stands between it and a second effect.
    const fresh = createMetrics('transactions');
    await system.stopConsumer();
    await system.startConsumer({ groupId: `${system.groupId}-again`, metrics: fresh });
    await waitFor(
      'the new group to apply every event',
      async () => (await counterTotal(fresh.registry, 'consumer_processed_total')) >= applied,
    );
    expect(await snapshot()).toEqual(before);
  }, 120_000);
});
