// Events on the real topics (unique ids) through the real broker, registry and the inbox consumer:
// every mapped event notifies the right people exactly once, also when Kafka redelivers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Consumer } from '@tulity/adapters/events/consumer';
import { counterTotal, waitFor } from '@tulity/adapters/testing/events';
import { brokers } from '@tulity/adapters/testing/kit';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createMetrics } from '@tulity/adapters/metrics';
import {
  envelope,
  eventProducer,
  groupReached,
  setGroupOffsets,
  startService,
  startTestConsumer,
  topicEnds,
  type Harness,
} from './harness';

const run = randomUUID().slice(0, 8);
const groupId = `notifications-it-${run}`;
const kafka = createKafka(brokers, groupId);
let service: Harness;
let producer: Awaited<ReturnType<typeof eventProducer>>;
let consumer: Consumer;
let start: Awaited<ReturnType<typeof topicEnds>>;

// My users; other people's tests may register users on the same topic, so every check looks at these.
const ids = {
  admin: randomUUID(),
  manager: randomUUID(),
  retired: randomUUID(),
  cashier: randomUUID(),
  leaver: randomUUID(),
};
const mine = new Set(Object.values(ids));
const profile = (id: string, role: string, active = true) => ({
  ...envelope(id),
  username: `${role}-${id.slice(0, 8)}`,
  email: `${id}@shop.test`,
  fullName: `${role} ${run}`,
  roles: [role],
  active,
});

const recipientsOf = async (eventId: string) =>
  (await service.db('notifications').where({ source_id: eventId }).select('recipient_id', 'kind'))
    .filter((row) => mine.has(row.recipient_id))
    .map((row) => `${row.kind}→${Object.entries(ids).find(([, id]) => id === row.recipient_id)![0]}`)
    .sort();

const saleLine = {
  productId: randomUUID(),
  unitLevelId: randomUUID(),
  quantity: 2,
  conversionFactor: 1,
  baseQuantity: 2,
  unitPriceMinor: 625,
  lineTotalMinor: 1250,
};
const sale = (saleId: string, cashierId: string) => ({
  ...envelope(saleId),
  cashierId,
  currency: 'EUR',
  lines: [saleLine],
  totalMinor: 1250,
});
const productId = randomUUID();

/** Each mapped event with what it must produce among my users. */
const mapped = () => {
  const saleId = randomUUID();
  return [
    [
      'tulity.products.ProductCreated',
      {
        ...envelope(productId),
        sku: `SKU-${run}`,
        name: `Cola ${run}`,
        description: null,
        categoryId: null,
        categoryName: null,
        baseUnitId: randomUUID(),
        baseUnitName: 'piece',
        unitLevels: [],
        active: true,
      },
      ['product.created→manager'],
    ],
    [
      'tulity.products.PriceChanged',
      { ...envelope(productId), unitLevelId: randomUUID(), currency: 'EUR', previousPriceMinor: 150, priceMinor: 175 },
      ['product.price-changed→manager'],
    ],
    [
      'tulity.products.LowStock',
      { ...envelope(productId), sku: `SKU-${run}`, name: `Cola ${run}`, availableBase: 3, thresholdBase: 10 },
      ['stock.low→admin', 'stock.low→manager'],
    ],
    ['tulity.products.ProductDeleted', { ...envelope(productId), sku: `SKU-${run}` }, ['product.deleted→manager']],
    ['tulity.transactions.SaleConfirmed', sale(saleId, ids.cashier), ['sale.confirmed→cashier']],
    [
      'tulity.transactions.SaleRejected',
      {
        ...sale(randomUUID(), ids.cashier),
        reason: 'insufficient-stock',
        shortages: [{ productId, requestedBase: 5, availableBase: 2 }],
      },
      ['sale.rejected→cashier'],
    ],
    [
      'tulity.transactions.SaleCancelled',
      { ...sale(randomUUID(), ids.cashier), cancelledBy: ids.manager, reason: 'customer left' },
      ['sale.cancelled→cashier'],
    ],
    [
      'tulity.transactions.SaleReturned',
      {
        ...envelope(saleId),
        returnId: randomUUID(),
        cashierId: ids.cashier,
        returnedBy: ids.manager,
        currency: 'EUR',
        reason: null,
        refundMinor: 625,
        lines: [
          {
            saleLineId: randomUUID(),
            productId,
            unitLevelId: saleLine.unitLevelId,
            quantity: 1,
            conversionFactor: 1,
            baseQuantity: 1,
            refundMinor: 625,
          },
        ],
      },
      ['sale.returned→cashier'],
    ],
    [
      'tulity.transactions.PurchaseRecorded',
      {
        ...envelope(randomUUID()),
        recordedBy: ids.manager,
        supplierName: 'Acme',
        currency: 'EUR',
        totalMinor: 9000,
        supplierInvoiceNumber: 'INV-7',
        lines: [
          {
            productId,
            unitLevelId: randomUUID(),
            quantity: 100,
            conversionFactor: 1,
            baseQuantity: 100,
            unitCostMinor: 90,
            lineTotalMinor: 9000,
          },
        ],
      },
      ['purchase.recorded→manager'],
    ],
    // The leaver was deleted: their sale tells nobody.
    ['tulity.transactions.SaleConfirmed', sale(randomUUID(), ids.leaver), []],
  ] as const;
};
let events: ReturnType<typeof mapped>;
let registrations: Array<ReturnType<typeof profile>>;

beforeAll(async () => {
  service = await startService();
  producer = await eventProducer(kafka);
  // A new group starts at the beginning of its topics; on the shared topics that is everyone's
  // history, so this one starts where the topics end now and reads only what comes next.
  start = await topicEnds(kafka);
  await setGroupOffsets(kafka, groupId, start);
  consumer = await startTestConsumer(service, kafka, groupId);

  registrations = [
    profile(ids.admin, 'admin'),
    profile(ids.manager, 'manager'),
    profile(ids.retired, 'manager'),
    profile(ids.cashier, 'cashier'),
    profile(ids.leaver, 'cashier'),
  ];
  // A registration tells the admins notifications knows when it applies it, and each user's events
  // have a partition of their own, applied side by side: the admin is known before the others register.
  const [admin, ...others] = registrations;
  await producer.send('tulity.accounts.UserRegistered', admin!);
  await waitFor(
    'the admin known',
    async () => (await service.db('recipients').where({ id: ids.admin, active: true }).first()) !== undefined,
  );
  for (const registration of others) await producer.send('tulity.accounts.UserRegistered', registration);
  await producer.send('tulity.accounts.UserUpdated', profile(ids.retired, 'manager', false));
  await producer.send('tulity.accounts.UserDeleted', { ...envelope(ids.leaver), username: 'leaver', mode: 'DELETED' });
  // Topics are consumed side by side: the users must be known before the shop's events arrive.
  await waitFor(
    'the read model of my users',
    async () =>
      (
        await service
          .db('recipients')
          .whereIn('id', [...mine])
          .where({ active: true })
          .pluck('id')
      )
        .sort()
        .join() === [ids.admin, ids.manager, ids.cashier].sort().join(),
  );

  events = mapped();
  for (const [type, payload] of events) await producer.send(type, payload);
  await waitFor(
    'every mapped event applied',
    async () =>
      Number(
        (
          await service
            .db('event_inbox')
            .where({ group_id: groupId })
            .whereIn(
              'event_id',
              events.map(([, p]) => p.eventId),
            )
            .count({ n: '*' })
            .first()
        )?.n,
      ) === events.length,
  );
});

afterAll(async () => {
  await consumer?.stop();
  await producer?.close();
  await service?.close();
});

describe('events become notifications', () => {
  test('registrations: a welcome for each user, a note for the admins', async () => {
    for (const registration of registrations) {
      const who = Object.entries(ids).find(([, id]) => id === registration.aggregateId)![0];
      const expected = [`user.welcome→${who}`, ...(who === 'admin' ? [] : ['user.registered→admin'])].sort();
      // The retired manager and the leaver were active when they registered.
      expect([who, await recipientsOf(registration.eventId)]).toEqual([who, expected]);
    }
  });

  test('every mapped event notifies the right people, and a deactivated or deleted user nobody', async () => {
    for (const [type, payload, expected] of events) {
      expect([type, await recipientsOf(payload.eventId)]).toEqual([type, [...expected].sort()]);
    }
    const low = await service
      .db('notifications')
      .where({ source_id: events[2][1].eventId, recipient_id: ids.manager })
      .first();
    expect([low.title, low.text, low.link_resource, low.link_id]).toEqual([
      `Low stock: Cola ${run}`,
      `SKU-${run}: 3 left, threshold 10 (base units).`,
      'products',
      productId,
    ]);
    const rejected = await service.db('notifications').where({ source_id: events[5][1].eventId }).first();
    expect(rejected.text).toBe(
      `Your sale of 12.50 EUR was rejected (insufficient-stock): product ${productId}: 5 requested, 2 available.`,
    );
    expect(
      await service
        .db('notifications')
        .where({ recipient_id: ids.retired })
        .whereNot({ kind: 'user.welcome' })
        .pluck('kind'),
    ).toEqual([]);
  });

  test('a redelivery (offsets rewound) creates nothing new', async () => {
    const before = await service
      .db('notifications')
      .whereIn('recipient_id', [...mine])
      .select('id', 'source_id', 'recipient_id', 'seq')
      .orderBy('id');
    await consumer.stop();
    const end = await topicEnds(kafka);
    await setGroupOffsets(kafka, groupId, start);
    const metrics = createMetrics('notifications');
    consumer = await startTestConsumer(service, kafka, groupId, metrics);
    await waitFor('the rewound group back at the end', () => groupReached(kafka, groupId, end));
    expect(await counterTotal(metrics.registry, 'consumer_duplicates_total')).toBeGreaterThanOrEqual(
      registrations.length + events.length,
    );
    expect(
      await service
        .db('notifications')
        .whereIn('recipient_id', [...mine])
        .select('id', 'source_id', 'recipient_id', 'seq')
        .orderBy('id'),
    ).toEqual(before);
  });

  test('past the inbox, the database still refuses a second notification of one event', async () => {
    const [, payload] = events[2];
    const before = await service.db('notifications').where({ source_id: payload.eventId }).count({ n: '*' }).first();
    const again = await service.useCases.hearEvent({
      correlationId: 'again',
      event: {
        type: 'LowStock',
        eventId: payload.eventId,
        occurredAt: new Date(),
        productId,
        sku: 'S',
        name: 'N',
        available: 1,
        threshold: 10,
      },
    });
    expect(again).toEqual([]);
    expect(await service.db('notifications').where({ source_id: payload.eventId }).count({ n: '*' }).first()).toEqual(
      before,
    );
  });
});
