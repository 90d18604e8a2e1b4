// Two partitions' runs in the real Postgres that notify the same people in opposite orders. Each
// run is one transaction that keeps every recipient lock until it commits: run A holds the cashier
// and waits for the managers while run B holds the managers and waits for the cashier, and
// Postgres kills one of them. Notifications locks a run's recipients first, in one order, so the
// second run queues instead.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { IncomingEvent } from '@tulity/adapters/events/consumer';
import type { Knex } from '@tulity/adapters/postgres/database';
import { applyInterleaved, failedCodes } from '@tulity/adapters/testing/interleaved-runs';
import { emptyTables, testDatabase } from '@tulity/adapters/testing/kit';
import { eventHandlers, recipientsNamedBy } from '../src/adapters/kafka/handlers';
import { lockRecipientsAhead } from '../src/adapters/postgres/recipient.repository';
import { hearEvent } from '../src/application/hear-event';
import { depsOver, migrations } from '../src/main';
import { envelope } from './harness';

let db: Knex;
const cashier = randomUUID();
const manager = randomUUID();
const admin = randomUUID();

beforeAll(async () => {
  db = await testDatabase('notifications', migrations);
  await emptyTables(db);
  await db('recipients').insert([
    { id: cashier, username: 'cashier', role: 'cashier', active: true },
    { id: manager, username: 'manager', role: 'manager', active: true },
    { id: admin, username: 'admin', role: 'admin', active: true },
  ]);
});
afterAll(async () => {
  await emptyTables(db);
  await db.destroy();
});

const incoming = (type: string, payload: Record<string, unknown>): IncomingEvent => ({
  type,
  topic: 'test',
  partition: 0,
  offset: '0',
  key: null,
  eventId: String(payload.eventId),
  payload,
});
const saleConfirmed = () =>
  incoming('tulity.transactions.SaleConfirmed', {
    ...envelope(randomUUID()),
    cashierId: cashier,
    currency: 'EUR',
    totalMinor: 1250,
    lines: [],
  });
const lowStock = () =>
  incoming('tulity.products.LowStock', {
    ...envelope(randomUUID()),
    sku: 'COLA',
    name: 'Cola',
    availableBase: 3,
    thresholdBase: 10,
  });

const handlers = () => eventHandlers({ hearEventIn: (trx) => hearEvent(depsOver(trx)) });
const lockFirst = (trx: Knex.Transaction, run: IncomingEvent[]) => lockRecipientsAhead(trx, recipientsNamedBy(run));
const notified = async () => Number((await db('notifications').count({ n: '*' }).first())!.n);

test('event by event, runs notifying the same people in opposite orders deadlock (the case guarded below)', async () => {
  const outcomes = await applyInterleaved(db, handlers(), {}, [
    [saleConfirmed(), lowStock()],
    [lowStock(), saleConfirmed()],
  ]);
  expect(failedCodes(outcomes)).toEqual(['40P01']);
});

test('locked first, the same runs queue and both commit', async () => {
  const before = await notified();
  const outcomes = await applyInterleaved(db, handlers(), { lockFirst }, [
    [saleConfirmed(), lowStock()],
    [lowStock(), saleConfirmed()],
  ]);
  expect(failedCodes(outcomes)).toEqual([]);
  // Per run: the cashier's sale, and low stock to the manager and the admin.
  expect((await notified()) - before).toBe(6);
});

test('what a run locks first: the roles and users it notifies, and the users it changes', () => {
  const leaver = randomUUID();
  const named = recipientsNamedBy([
    saleConfirmed(),
    lowStock(),
    incoming('tulity.accounts.UserDeleted', { ...envelope(leaver), username: 'leaver' }),
    incoming('tulity.products.LowStock', { eventId: randomUUID() }),
  ]);
  expect({ roles: named.roles.sort(), userIds: named.userIds.sort() }).toEqual({
    roles: ['admin', 'manager'],
    userIds: [cashier, leaver].sort(),
  });
});
