// The use cases over in-memory fakes: recipients, once-only delivery, ownership, tickets, alerts.
import { describe, expect, test } from '@jest/globals';
import type { Actor } from '@tulity/adapters/core/actor';
import { isFailure } from '@tulity/adapters/core/failure';
import { buildUseCases } from '../src/main';
import type { NotifiableEvent } from '../src/domain/events';
import { fakeDeps } from './fakes';

const at = (eventId: string) => ({ eventId, occurredAt: new Date('2026-11-29T09:00:00Z') });
const user = (id: string, role: 'admin' | 'manager' | 'cashier', active = true): NotifiableEvent => ({
  ...at(`reg-${id}`),
  type: 'UserRegistered',
  userId: id,
  username: id,
  fullName: id,
  role,
  active,
});
const actor = (userId: string, role: Actor['role'] = 'cashier'): Actor => ({ userId, role, sessionId: `s-${userId}` });
const page = { page: 1, pageSize: 20, sort: 'createdAt' as const, descending: true };
const failureCode = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (isFailure(error)) return error.code;
    throw error;
  }
  return 'none';
};

async function shop() {
  const fake = fakeDeps();
  const useCases = buildUseCases(fake.deps);
  const hear = (event: NotifiableEvent) => useCases.hearEvent({ event, correlationId: 'c' });
  for (const event of [
    user('admin1', 'admin'),
    user('mgr1', 'manager'),
    user('mgr2', 'manager'),
    user('cash1', 'cashier'),
  ])
    await hear(event);
  return { ...fake, useCases, hear };
}

describe('hearing events', () => {
  test('low stock reaches active managers and admins, once per event', async () => {
    const { hear, uow } = await shop();
    await hear({
      ...at('e-low'),
      type: 'UserUpdated',
      userId: 'mgr2',
      username: 'mgr2',
      role: 'manager',
      active: false,
    });
    const low: NotifiableEvent = {
      ...at('e-low-1'),
      type: 'LowStock',
      productId: 'p',
      sku: 'S',
      name: 'N',
      available: 1,
      threshold: 5,
    };
    expect((await hear(low)).map((n) => n.recipientId).sort()).toEqual(['admin1', 'mgr1']);
    expect(await hear(low)).toEqual([]);
    expect(uow.store.notifications.filter((n) => n.sourceId === 'e-low-1')).toHaveLength(2);
  });

  test('a deleted user hears nothing more', async () => {
    const { hear } = await shop();
    await hear({ ...at('e-del'), type: 'UserDeleted', userId: 'cash1', username: 'cash1' });
    const sale: NotifiableEvent = {
      ...at('e-sale'),
      type: 'SaleConfirmed',
      saleId: 's',
      cashierId: 'cash1',
      total: { minor: 100, currency: 'EUR' },
      lineCount: 1,
    };
    expect(await hear(sale)).toEqual([]);
  });

  test("a user's sequence grows by one per notification", async () => {
    const { hear } = await shop();
    const sale = (id: string): NotifiableEvent => ({
      ...at(id),
      type: 'SaleConfirmed',
      saleId: id,
      cashierId: 'cash1',
      total: { minor: 1, currency: 'EUR' },
      lineCount: 1,
    });
    const seqs = [...(await hear(sale('a'))), ...(await hear(sale('b')))].map((n) => n.seq);
    expect(seqs).toEqual([2, 3]); // 1 is the welcome
  });
});

describe('my notifications', () => {
  test("another user's notification is not found, whatever the action; nothing changes", async () => {
    const { hear, useCases, uow } = await shop();
    const [mine] = await hear({
      ...at('e'),
      type: 'SaleConfirmed',
      saleId: 's',
      cashierId: 'cash1',
      total: { minor: 1, currency: 'EUR' },
      lineCount: 1,
    });
    const other = actor('mgr1', 'manager');
    expect(await failureCode(useCases.getNotification({ actor: other, id: mine!.id }))).toBe('NOTIFICATION.NOT_FOUND');
    expect(
      await failureCode(useCases.markNotification({ actor: other, id: mine!.id, read: true, correlationId: 'c' })),
    ).toBe('NOTIFICATION.NOT_FOUND');
    expect(await failureCode(useCases.deleteNotification({ actor: other, id: mine!.id, correlationId: 'c' }))).toBe(
      'NOTIFICATION.NOT_FOUND',
    );
    expect(uow.store.notifications.find((n) => n.id === mine!.id)).toEqual(mine);
  });

  test('read, unread, all read, and retention of read ones', async () => {
    const { useCases, clock } = await shop();
    const me = actor('admin1', 'admin');
    const { items } = await useCases.listNotifications({ actor: me, query: page });
    expect(items.map((n) => n.kind).sort()).toEqual([
      'user.registered',
      'user.registered',
      'user.registered',
      'user.welcome',
    ]);
    const read = await useCases.markNotification({ actor: me, id: items[0]!.id, read: true, correlationId: 'c' });
    expect(read.readAt).toEqual(clock.now());
    expect((await useCases.listNotifications({ actor: me, query: { ...page, unread: true } })).total).toBe(3);
    expect(
      (await useCases.markNotification({ actor: me, id: items[0]!.id, read: false, correlationId: 'c' })).readAt,
    ).toBeNull();
    expect(await useCases.markAllRead({ actor: me, correlationId: 'c' })).toBe(4);
    clock.advance(10_000);
    expect((await useCases.pruneNotifications({ retentionMs: 20_000 })).notifications).toBe(0);
    clock.advance(20_000);
    expect((await useCases.pruneNotifications({ retentionMs: 20_000 })).notifications).toBe(4);
  });

  test('an announcement reaches its role; deleting it withdraws its notifications', async () => {
    const { useCases, uow } = await shop();
    const posted = await useCases.postAnnouncement({
      actor: actor('admin1', 'admin'),
      audience: 'manager',
      title: 'Stocktake',
      text: 'Friday',
      correlationId: 'c',
    });
    expect(posted.recipients).toBe(2);
    expect(
      uow.store.notifications
        .filter((n) => n.announcementId === posted.id)
        .map((n) => n.recipientId)
        .sort(),
    ).toEqual(['mgr1', 'mgr2']);
    await useCases.deleteAnnouncement({ id: posted.id, correlationId: 'c' });
    expect(uow.store.notifications.filter((n) => n.announcementId === posted.id)).toEqual([]);
    expect(await failureCode(useCases.deleteAnnouncement({ id: posted.id, correlationId: 'c' }))).toBe(
      'ANNOUNCEMENT.NOT_FOUND',
    );
  });
});

describe('stream tickets', () => {
  const issue = (useCases: Awaited<ReturnType<typeof shop>>['useCases']) =>
    useCases.issueStreamTicket({ actor: actor('cash1'), tokenId: 't', tokenIssuedAt: new Date(), correlationId: 'c' });

  test('single use', async () => {
    const { useCases } = await shop();
    const { ticket } = await issue(useCases);
    expect((await useCases.redeemStreamTicket({ ticket, correlationId: 'c' })).userId).toBe('cash1');
    expect(await failureCode(useCases.redeemStreamTicket({ ticket, correlationId: 'c' }))).toBe(
      'STREAM.TICKET_INVALID',
    );
  });

  test('expired after its lifetime, refused once its session is revoked', async () => {
    const { useCases, clock, revoked } = await shop();
    const late = await issue(useCases);
    clock.advance(30_000);
    expect(await failureCode(useCases.redeemStreamTicket({ ticket: late.ticket, correlationId: 'c' }))).toBe(
      'STREAM.TICKET_INVALID',
    );
    const loggedOut = await issue(useCases);
    revoked.add('s-cash1');
    expect(await failureCode(useCases.redeemStreamTicket({ ticket: loggedOut.ticket, correlationId: 'c' }))).toBe(
      'STREAM.TICKET_INVALID',
    );
  });
});

describe('alerts', () => {
  test('one notification per admin per state change, repeats ignored', async () => {
    const { useCases } = await shop();
    const firing = {
      status: 'firing' as const,
      labels: { alertname: 'X' },
      annotations: {},
      startsAt: '2026-11-29T10:00:00Z',
      endsAt: null,
      fingerprint: 'f1',
    };
    expect(await useCases.receiveAlerts({ alerts: [firing], correlationId: 'c' })).toEqual({ notified: 1 });
    expect(await useCases.receiveAlerts({ alerts: [firing], correlationId: 'c' })).toEqual({ notified: 0 });
    expect(
      await useCases.receiveAlerts({
        alerts: [{ ...firing, status: 'resolved', endsAt: '2026-11-29T10:05:00Z' }],
        correlationId: 'c',
      }),
    ).toEqual({ notified: 1 });
  });
});
