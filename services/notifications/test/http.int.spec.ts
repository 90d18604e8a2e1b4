// The REST API against the real Postgres: my notifications only, bad input refused with nothing
// written, announcements, stream tickets, and Alertmanager's webhook.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@tulity/adapters/testing/events';
import { notificationsDocument } from '../src/adapters/http/openapi';
import {
  seedUsers,
  startService,
  streamAnswer,
  streamUrl,
  ticket,
  tokenFor,
  type Harness,
  type TestUser,
} from './harness';

let service: Harness;
let admin: TestUser;
let manager: TestUser;
let cashier: TestUser;
let otherCashier: TestUser;
const secret = 'alert-secret-for-tests';

const count = async (table: string) => Number((await service.db(table).count({ n: '*' }).first())?.n);
const call = (user: TestUser | undefined, method: string, path: string, body?: unknown) =>
  service.http.call(method, `/api/v1${path}`, { token: user?.token, body });

async function saleConfirmedFor(user: TestUser) {
  const [created] = await service.useCases.hearEvent({
    correlationId: 'c',
    event: {
      type: 'SaleConfirmed',
      eventId: randomUUID(),
      occurredAt: new Date(),
      saleId: randomUUID(),
      cashierId: user.id,
      total: { minor: 1250, currency: 'EUR' },
      lineCount: 2,
    },
  });
  return created!;
}

beforeAll(async () => {
  service = await startService({ ticketTtlMs: 1500, alertWebhookSecret: secret, maxStreamsPerUser: 2 });
  [admin, manager, cashier, otherCashier] = await Promise.all([
    tokenFor(service.issuer, 'admin'),
    tokenFor(service.issuer, 'manager'),
    tokenFor(service.issuer, 'cashier'),
    tokenFor(service.issuer, 'cashier'),
  ]);
  await seedUsers(service, admin, manager, cashier, otherCashier);
});

afterAll(async () => {
  await service?.close();
});

describe('my notifications', () => {
  test('list newest first with the unread count; filter by unread and kind; detail; read, unread, all read, delete', async () => {
    const first = await saleConfirmedFor(cashier);
    const second = await saleConfirmedFor(cashier);
    const list = await call(cashier, 'GET', '/notifications');
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([second.id, first.id, expect.any(String)]);
    expect(list.body).toMatchObject({ total: 3, page: 1, pageSize: 20, unreadCount: 3 });
    expect(list.body.items[0]).toEqual({
      id: second.id,
      seq: second.seq,
      kind: 'sale.confirmed',
      title: 'Sale confirmed',
      text: 'Your sale of 12.50 EUR (2 lines) is confirmed.',
      link: { resource: 'sales', id: second.link!.id },
      eventId: second.sourceId,
      announcementId: null,
      createdAt: second.createdAt.toISOString(),
      readAt: null,
    });

    const read = await call(cashier, 'PATCH', `/notifications/${first.id}`, { read: true });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await call(cashier, 'GET', '/notifications?unread=true')).body).toMatchObject({ total: 2, unreadCount: 2 });
    expect(
      (await call(cashier, 'GET', '/notifications?unread=false')).body.items.map((n: { id: string }) => n.id),
    ).toEqual([first.id]);
    expect((await call(cashier, 'GET', '/notifications?kind=user.welcome')).body.total).toBe(1);
    expect(
      (await call(cashier, 'GET', '/notifications?pageSize=1&page=2')).body.items.map((n: { id: string }) => n.id),
    ).toEqual([first.id]);
    expect((await call(cashier, 'PATCH', `/notifications/${first.id}`, { read: false })).body.readAt).toBeNull();

    expect((await call(cashier, 'GET', `/notifications/${second.id}`)).body.id).toBe(second.id);
    expect((await call(cashier, 'POST', '/notifications/read-all')).body).toEqual({ updated: 3 });
    expect((await call(cashier, 'GET', '/notifications')).body.unreadCount).toBe(0);
    expect((await call(cashier, 'DELETE', `/notifications/${second.id}`)).status).toBe(204);
    expect((await call(cashier, 'GET', `/notifications/${second.id}`)).status).toBe(404);
  });

  test("another user's notification is 404 for every action, and stays as it was", async () => {
    const mine = await saleConfirmedFor(cashier);
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { read: true }],
      ['DELETE', '', undefined],
    ] as const) {
      const answer = await call(otherCashier, method, `/notifications/${mine.id}${path}`, body);
      expect([method, answer.status, answer.body.code]).toEqual([method, 404, 'NOTIFICATION.NOT_FOUND']);
    }
    expect((await call(admin, 'GET', `/notifications/${mine.id}`)).status).toBe(404);
    const row = await service.db('notifications').where({ id: mine.id }).first();
    expect(row.read_at).toBeNull();
    expect(
      (await call(otherCashier, 'GET', '/notifications')).body.items.map((n: { id: string }) => n.id),
    ).not.toContain(mine.id);
  });

  test('bad input is a 4xx and writes nothing', async () => {
    const mine = await saleConfirmedFor(cashier);
    const before = {
      notifications: await count('notifications'),
      announcements: await count('announcements'),
      tickets: await count('stream_tickets'),
    };
    const cases: Array<[number, TestUser | undefined, string, string, unknown]> = [
      [401, undefined, 'GET', '/notifications', undefined],
      [401, undefined, 'POST', '/notifications/stream-tickets', undefined],
      [400, cashier, 'GET', '/notifications?pageSize=1000', undefined],
      [400, cashier, 'GET', '/notifications?kind=nonsense', undefined],
      [400, cashier, 'GET', '/notifications?unread=yes', undefined],
      [400, cashier, 'GET', '/notifications?sort=title', undefined],
      [400, cashier, 'GET', '/notifications?color=red', undefined],
      [404, cashier, 'GET', '/notifications/not-a-uuid', undefined],
      [404, cashier, 'GET', `/notifications/${randomUUID()}`, undefined],
      [400, cashier, 'PATCH', `/notifications/${mine.id}`, { read: 'yes' }],
      [400, cashier, 'PATCH', `/notifications/${mine.id}`, { read: true, extra: 1 }],
      [400, cashier, 'PATCH', `/notifications/${mine.id}`, {}],
      [400, cashier, 'PATCH', `/notifications/${mine.id}`, '{not json'],
      [403, manager, 'POST', '/notifications/announcements', { audience: 'everyone', title: 'x', text: 'y' }],
      [403, cashier, 'GET', '/notifications/announcements', undefined],
      [400, admin, 'POST', '/notifications/announcements', { audience: 'nobody', title: 'x', text: 'y' }],
      [400, admin, 'POST', '/notifications/announcements', { audience: 'everyone', title: '', text: 'y' }],
      [400, admin, 'POST', '/notifications/announcements', { audience: 'everyone', title: 'x'.repeat(121), text: 'y' }],
      [400, admin, 'POST', '/notifications/announcements', { audience: 'everyone', title: 'a\u0000b', text: 'y' }],
      [
        400,
        admin,
        'POST',
        '/notifications/announcements',
        { audience: 'everyone', title: 'x', text: 'y'.repeat(1001) },
      ],
      [404, admin, 'DELETE', `/notifications/announcements/${randomUUID()}`, undefined],
      [400, undefined, 'GET', '/notifications/stream', undefined],
      [400, undefined, 'GET', '/notifications/stream?ticket=short', undefined],
      [401, undefined, 'GET', `/notifications/stream?ticket=${'A'.repeat(43)}`, undefined],
    ];
    for (const [status, user, method, path, body] of cases) {
      const answer = await call(user, method, path, body);
      expect([method, path, answer.status]).toEqual([method, path, status]);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect({
      notifications: await count('notifications'),
      announcements: await count('announcements'),
      tickets: await count('stream_tickets'),
    }).toEqual(before);
    expect((await service.db('notifications').where({ id: mine.id }).first()).read_at).toBeNull();
  });
});

describe('announcements', () => {
  test('an admin announces to a role or everyone, lists and withdraws them', async () => {
    const toManagers = await call(admin, 'POST', '/notifications/announcements', {
      audience: 'manager',
      title: 'Stocktake',
      text: 'Friday 8:00\nBring gloves.',
    });
    expect(toManagers.status).toBe(201);
    expect(toManagers.body).toMatchObject({
      audience: 'manager',
      title: 'Stocktake',
      recipients: 1,
      createdBy: admin.id,
    });
    const managersNotes = (await call(manager, 'GET', '/notifications?kind=announcement')).body.items;
    expect(managersNotes).toHaveLength(1);
    expect(managersNotes[0]).toMatchObject({
      title: 'Stocktake',
      text: 'Friday 8:00\nBring gloves.',
      announcementId: toManagers.body.id,
    });
    expect((await call(cashier, 'GET', '/notifications?kind=announcement')).body.total).toBe(0);

    const toAll = await call(admin, 'POST', '/notifications/announcements', {
      audience: 'everyone',
      title: 'Closed Monday',
      text: 'Holiday.',
    });
    expect(toAll.body.recipients).toBe(4);
    const listed = await call(admin, 'GET', '/notifications/announcements');
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([toAll.body.id, toManagers.body.id]);

    expect((await call(admin, 'DELETE', `/notifications/announcements/${toAll.body.id}`)).status).toBe(204);
    expect((await call(cashier, 'GET', '/notifications?kind=announcement')).body.total).toBe(0);
    expect((await call(admin, 'GET', '/notifications/announcements')).body.total).toBe(1);
  });
});

describe('stream tickets', () => {
  test('single use: a second use of the same ticket is refused', async () => {
    const t = await ticket(service, cashier);
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await service.db('stream_tickets').first();
    expect(stored.hash).not.toBe(t);
    expect(await streamAnswer(streamUrl(service, t))).toEqual({ status: 200 });
    expect(await streamAnswer(streamUrl(service, t))).toEqual({ status: 401, code: 'STREAM.TICKET_INVALID' });
  });

  test('expired after its lifetime', async () => {
    const t = await ticket(service, cashier);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await streamAnswer(streamUrl(service, t))).toEqual({ status: 401, code: 'STREAM.TICKET_INVALID' });
  });

  test('a bad Last-Event-ID is a 400 and spends nothing', async () => {
    const t = await ticket(service, cashier);
    expect(await streamAnswer(streamUrl(service, t), { 'last-event-id': 'abc' })).toEqual({
      status: 400,
      code: 'STREAM.LAST_EVENT_ID_INVALID',
    });
    expect(await streamAnswer(streamUrl(service, t))).toEqual({ status: 200 });
  });
});

describe('the OpenAPI document', () => {
  test('is the one that npm run openapi:generate builds offline, the stream and the webhook included', async () => {
    const served = (await service.http.call('GET', '/openapi.json')).body;
    // Built from the route table's declarations alone: the web client's types come from it.
    expect(served).toEqual(JSON.parse(JSON.stringify(notificationsDocument())));
    expect(
      served.paths['/api/v1/notifications/stream'].get.responses['200'].content['text/event-stream'],
    ).toBeDefined();
    expect(served.paths['/internal/alertmanager'].post.operationId).toBe('receiveAlerts');
  });
});

describe('Alertmanager webhook', () => {
  const alert = (status: 'firing' | 'resolved', fingerprint: string) => ({
    status,
    labels: { alertname: 'ConsumerLagHigh', severity: 'warning' },
    annotations: { summary: 'Consumer lag is high', description: 'notifications is 5000 events behind.' },
    startsAt: '2026-11-29T10:00:00.000Z',
    endsAt: status === 'resolved' ? '2026-11-29T10:30:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus/graph',
    fingerprint,
  });
  const payload = (alerts: unknown[]) => ({
    version: '4',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'tulity',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager',
    alerts,
  });
  const post = (body: unknown, auth = `Bearer ${secret}`) =>
    service.http.call('POST', '/internal/alertmanager', { body, headers: { authorization: auth } });
  const adminAlerts = async () => (await call(admin, 'GET', '/notifications?kind=system.alert')).body.items;

  test('one notification per admin per alert state change; repeats change nothing', async () => {
    const otherAdmin = await tokenFor(service.issuer, 'admin');
    await seedUsers(service, otherAdmin);
    const fingerprint = randomUUID().replace(/-/g, '').slice(0, 16);
    expect((await post(payload([alert('firing', fingerprint)]))).body).toEqual({ notified: 2 });
    expect((await post(payload([alert('firing', fingerprint)]))).body).toEqual({ notified: 0 });
    expect((await post(payload([alert('resolved', fingerprint)]))).body).toEqual({ notified: 2 });
    const mine = await adminAlerts();
    expect(mine.map((n: { title: string }) => n.title)).toEqual([
      'Resolved: Consumer lag is high',
      'Consumer lag is high',
    ]);
    expect(mine[1].text).toBe('notifications is 5000 events behind. Since 2026-11-29T10:00:00.000Z.');
    expect((await call(manager, 'GET', '/notifications?kind=system.alert')).body.total).toBe(0);
  });

  test('refused without the secret, bad bodies are 4xx, and nothing is written', async () => {
    const before = await count('notifications');
    expect((await post(payload([alert('firing', 'aa')]), 'Bearer wrong')).status).toBe(401);
    expect((await post(payload([alert('firing', 'aa')]), '')).status).toBe(401);
    expect((await post({ ...payload([alert('firing', 'aa')]), version: '3' })).status).toBe(400);
    expect((await post(payload([]))).status).toBe(400);
    expect((await post(payload([{ ...alert('firing', 'aa'), status: 'pending' }]))).status).toBe(400);
    expect((await post(payload([{ ...alert('firing', 'aa'), fingerprint: 'not hex!' }]))).status).toBe(400);
    expect((await post(payload(Array.from({ length: 201 }, (_, i) => alert('firing', i.toString(16)))))).status).toBe(
      400,
    );
    expect((await post(payload([alert('firing', 'aa')]).alerts.map(() => 'x'.repeat(300 * 1024)))).status).toBe(413);
    expect(await count('notifications')).toBe(before);
  });

  test('not there without a configured secret, nor under /api/v1', async () => {
    const plain = await startService();
    try {
      const answer = await plain.http.call('POST', '/internal/alertmanager', {
        body: payload([alert('firing', 'aa')]),
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(answer.status).toBe(404);
    } finally {
      await plain.close();
    }
    expect(
      (
        await service.http.call('POST', '/api/v1/internal/alertmanager', {
          body: payload([]),
          headers: { authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(404);
  });
});

describe('retention', () => {
  test('the background job prunes read notifications older than the retention age, and keeps unread ones', async () => {
    await service.close();
    service = await startService({ retentionMs: 500, pruneIntervalMs: 100 });
    const user = await tokenFor(service.issuer, 'cashier');
    await seedUsers(service, user);
    const old = await saleConfirmedFor(user);
    const unread = await saleConfirmedFor(user);
    expect((await call(user, 'PATCH', `/notifications/${old.id}`, { read: true })).status).toBe(200);
    await waitFor(
      'the read notification pruned',
      async () => (await service.db('notifications').where({ id: old.id }).first()) === undefined,
      10_000,
    );
    expect(await service.db('notifications').where({ id: unread.id }).first()).toBeDefined();
  });
});
