// The live stream end to end: events on the real topics → consumer → Postgres NOTIFY → SSE.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Consumer } from '@tulity/adapters/events/consumer';
import { waitFor } from '@tulity/adapters/testing/events';
import { brokers } from '@tulity/adapters/testing/kit';
import { createKafka } from '@tulity/adapters/kafka/client';
import {
  envelope,
  eventProducer,
  openStream,
  seedUsers,
  setGroupOffsets,
  startService,
  startTestConsumer,
  streamAnswer,
  streamUrl,
  ticket,
  tokenFor,
  topicEnds,
  type Harness,
  type TestUser,
} from './harness';

const groupId = `notifications-sse-${randomUUID().slice(0, 8)}`;
const kafka = createKafka(brokers, groupId);
let service: Harness;
let producer: Awaited<ReturnType<typeof eventProducer>>;
let consumer: Consumer;
let cashier: TestUser;
const streams: Array<Awaited<ReturnType<typeof openStream>>> = [];

const open = async (user: TestUser, headers: Record<string, string> = {}) => {
  const stream = await openStream(streamUrl(service, await ticket(service, user)), headers);
  streams.push(stream);
  return stream;
};
const confirmSale = async (user: TestUser) => {
  const payload = {
    ...envelope(randomUUID()),
    cashierId: user.id,
    currency: 'EUR',
    totalMinor: 300,
    lines: [
      {
        productId: randomUUID(),
        unitLevelId: randomUUID(),
        quantity: 2,
        conversionFactor: 1,
        baseQuantity: 2,
        unitPriceMinor: 150,
        lineTotalMinor: 300,
      },
    ],
  };
  await producer.send('tulity.transactions.SaleConfirmed', payload);
  return payload.eventId;
};
const stored = (eventId: string) =>
  waitFor(
    `the notification of ${eventId}`,
    async () => service.db('notifications').where({ source_id: eventId }).first(),
    60_000,
    10,
  );

beforeAll(async () => {
  service = await startService({ heartbeatMs: 200, maxStreamsPerUser: 2 });
  producer = await eventProducer(kafka);
  // Only what is produced from now on: the shared topics' history is other people's.
  await setGroupOffsets(kafka, groupId, await topicEnds(kafka));
  consumer = await startTestConsumer(service, kafka, groupId);
  cashier = await tokenFor(service.issuer, 'cashier');
  await seedUsers(service, cashier);
});

afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await consumer?.stop();
  await producer?.close();
  await service?.close();
});

describe('the notification stream', () => {
  test('an event is pushed to an open stream once its notification is stored; heartbeats keep it alive', async () => {
    const stream = await open(cashier);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    await stream.until('the stream to open', () => stream.received.some((e) => e.comment === 'connected'));
    // A new stream starts after what the user already has (the welcome is not sent again).
    const eventId = await confirmSale(cashier);
    const row = await stored(eventId);
    // Pushed, not polled: without NOTIFY there is no path to an open stream but a reconnect, so
    // this fails if the push breaks. How fast it arrives is measured, not asserted (README, bench).
    await stream.until('the sale on the stream', () => stream.notifications().length === 1, 15_000);
    expect(stream.notifications()[0]).toMatchObject({
      sseId: Number(row.seq),
      id: row.id,
      seq: Number(row.seq),
      kind: 'sale.confirmed',
      eventId,
    });
    await stream.until('a heartbeat', () => stream.received.some((e) => e.comment === 'heartbeat'));
    await stream.close();
  });

  test('a reconnect with Last-Event-ID gets what it missed, once, in order, then live ones', async () => {
    const first = await open(cashier);
    const seen = Number((await stored(await confirmSale(cashier))).seq);
    await first.until('the first sale', () => first.notifications().length === 1);
    await first.close();

    const missed = [await confirmSale(cashier), await confirmSale(cashier)];
    for (const eventId of missed) await stored(eventId);
    const again = await open(cashier, { 'last-event-id': String(seen) });
    await again.until('the missed ones', () => again.notifications().length >= 2);
    const live = await confirmSale(cashier);
    await again.until('the live one', () => again.notifications().length >= 3);
    // Two heartbeats after the live one: anything duplicated would have arrived by now.
    const beats = again.received.filter((e) => e.comment === 'heartbeat').length;
    await again.until(
      'two more heartbeats',
      () => again.received.filter((e) => e.comment === 'heartbeat').length >= beats + 2,
    );
    // The two missed sales may be applied in either order (their events can sit on different
    // partitions); what must hold is each once, in the user's sequence, before the live one.
    const received = again.notifications();
    expect(received.map((n) => n.sseId)).toEqual([seen + 1, seen + 2, seen + 3]);
    expect(new Set(received.slice(0, 2).map((n) => n.eventId))).toEqual(new Set(missed));
    expect(received[2]!.eventId).toBe(live);
    await again.close();
  });

  test('a user has at most the configured number of streams; the gauge counts them', async () => {
    const busy = await tokenFor(service.issuer, 'manager');
    await seedUsers(service, busy);
    const gauge = async () =>
      Number(
        /^notification_streams_open\{service="notifications"\} (\d+)$/m.exec(
          (await service.http.call('GET', '/metrics')).body,
        )?.[1],
      );
    const before = await gauge();
    const open1 = await open(busy);
    const open2 = await open(busy);
    expect(await streamAnswer(streamUrl(service, await ticket(service, busy)))).toEqual({
      status: 429,
      code: 'STREAM.TOO_MANY',
    });
    expect(await gauge()).toBe(before + 2);
    await open1.close();
    await open2.close();
    await waitFor('the gauge back down', async () => (await gauge()) === before);
  });

  test('logout (SessionRevoked) ends the streams of that session only; deactivation ends the rest', async () => {
    const user = await tokenFor(service.issuer, 'manager');
    await seedUsers(service, user);
    const otherSession = { ...user, sessionId: randomUUID() };
    otherSession.token = await service.issuer.mint({
      role: 'manager',
      userId: user.id,
      sessionId: otherSession.sessionId,
    });
    const loggedOut = await open(user);
    const stays = await open(otherSession);
    await producer.send('tulity.accounts.SessionRevoked', {
      ...envelope(user.id),
      sessionId: user.sessionId,
      reason: 'logout',
    });
    await loggedOut.until('the stream to end', () => loggedOut.ended());
    expect(stays.ended()).toBe(false);
    expect(
      (await service.http.call('POST', '/api/v1/notifications/stream-tickets', { token: user.token })).status,
    ).toBe(401);

    await producer.send('tulity.accounts.UserUpdated', {
      ...envelope(user.id),
      username: user.username,
      email: `${user.id}@shop.test`,
      fullName: 'gone',
      roles: ['manager'],
      active: false,
    });
    await stays.until('the other stream to end', () => stays.ended());
  });
});
