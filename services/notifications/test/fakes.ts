// In-memory fakes of the ports, for unit tests of the use cases without infrastructure.
import { randomUUID } from 'node:crypto';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import type {
  AnnouncementRepository,
  NewNotifications,
  NotificationFilter,
  NotificationPage,
  NotificationReads,
  NotificationRepository,
  NotificationSort,
  NotificationsDeps,
  RecipientRepository,
  Reads,
  TicketRepository,
  Tx,
  UnitOfWork,
} from '../src/application/ports';
import type { Announcement } from '../src/domain/announcement';
import type { Notification } from '../src/domain/notification';
import type { Recipient } from '../src/domain/recipient';
import type { StreamTicket } from '../src/domain/stream-ticket';

export class InMemoryStore {
  recipients = new Map<string, Recipient & { lastSeq: number }>();
  notifications: Notification[] = [];
  announcements = new Map<string, Announcement>();
  tickets = new Map<string, StreamTicket>();
}

class InMemoryNotifications implements NotificationRepository, NotificationReads {
  constructor(private readonly store: InMemoryStore) {}

  async deliver({ audience, content, sourceId, announcementId, createdAt }: NewNotifications): Promise<Notification[]> {
    const created: Notification[] = [];
    for (const r of [...this.store.recipients.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      const named =
        'userId' in audience
          ? r.id === audience.userId
          : r.role !== null && audience.roles.includes(r.role) && r.id !== audience.except;
      if (
        !named ||
        !r.active ||
        this.store.notifications.some((n) => n.sourceId === sourceId && n.recipientId === r.id)
      )
        continue;
      r.lastSeq += 1;
      const n: Notification = {
        ...content,
        id: randomUUID(),
        recipientId: r.id,
        seq: r.lastSeq,
        sourceId,
        announcementId: announcementId ?? null,
        createdAt,
        readAt: null,
      };
      this.store.notifications.push(n);
      created.push(n);
    }
    return created;
  }
  async getForUpdate(recipientId: string, id: string) {
    return this.store.notifications.find((n) => n.id === id && n.recipientId === recipientId);
  }
  get = this.getForUpdate;
  async setRead(notification: Notification, readAt: Date | null) {
    const stored = this.store.notifications.find((n) => n.id === notification.id)!;
    stored.readAt = readAt;
    return { ...stored };
  }
  async markAllRead(recipientId: string, at: Date) {
    const unread = this.store.notifications.filter((n) => n.recipientId === recipientId && !n.readAt);
    for (const n of unread) n.readAt = at;
    return unread.length;
  }
  async delete(recipientId: string, id: string) {
    const before = this.store.notifications.length;
    this.store.notifications = this.store.notifications.filter((n) => !(n.id === id && n.recipientId === recipientId));
    return this.store.notifications.length < before;
  }
  async pruneRead(before: Date) {
    const keep = this.store.notifications.filter((n) => !n.readAt || n.readAt >= before);
    const pruned = this.store.notifications.length - keep.length;
    this.store.notifications = keep;
    return pruned;
  }
  async list(recipientId: string, query: ListQuery<NotificationSort> & NotificationFilter): Promise<NotificationPage> {
    const mine = this.store.notifications.filter((n) => n.recipientId === recipientId);
    const items = mine
      .filter(
        (n) => (query.unread === undefined || query.unread === !n.readAt) && (!query.kind || n.kind === query.kind),
      )
      .sort((a, b) => (b.createdAt.getTime() - a.createdAt.getTime()) * (query.descending ? 1 : -1) || a.seq - b.seq);
    const start = (query.page - 1) * query.pageSize;
    return {
      items: items.slice(start, start + query.pageSize),
      total: items.length,
      page: query.page,
      pageSize: query.pageSize,
      unreadCount: mine.filter((n) => !n.readAt).length,
    };
  }
  async after(recipientId: string, seq: number, limit: number) {
    return this.store.notifications
      .filter((n) => n.recipientId === recipientId && n.seq > seq)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }
  async latestSeq(recipientId: string) {
    return this.store.recipients.get(recipientId)?.lastSeq ?? 0;
  }
}

class InMemoryRecipients implements RecipientRepository {
  constructor(private readonly store: InMemoryStore) {}
  async save(r: Recipient) {
    this.store.recipients.set(r.id, { ...r, lastSeq: this.store.recipients.get(r.id)?.lastSeq ?? 0 });
  }
  async deactivate(id: string) {
    const r = this.store.recipients.get(id);
    if (r) r.active = false;
  }
}

class InMemoryAnnouncements implements AnnouncementRepository {
  constructor(private readonly store: InMemoryStore) {}
  async add(a: Announcement) {
    this.store.announcements.set(a.id, { ...a });
  }
  async recordReach(id: string, recipients: number) {
    this.store.announcements.get(id)!.recipients = recipients;
  }
  async delete(id: string) {
    this.store.notifications = this.store.notifications.filter((n) => n.announcementId !== id);
    return this.store.announcements.delete(id);
  }
  async list(query: ListQuery<'createdAt'>): Promise<Page<Announcement>> {
    const items = [...this.store.announcements.values()];
    return {
      items: items.slice((query.page - 1) * query.pageSize, query.page * query.pageSize),
      total: items.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}

class InMemoryTickets implements TicketRepository {
  constructor(private readonly store: InMemoryStore) {}
  async add(hash: string, ticket: StreamTicket) {
    this.store.tickets.set(hash, ticket);
  }
  async take(hash: string) {
    const ticket = this.store.tickets.get(hash);
    this.store.tickets.delete(hash);
    return ticket;
  }
  async pruneExpired(now: Date) {
    let pruned = 0;
    for (const [hash, t] of this.store.tickets)
      if (t.expiresAt <= now) pruned += Number(this.store.tickets.delete(hash));
    return pruned;
  }
}

/** Runs work on a copy and keeps it only if the work succeeds, as a transaction would. */
export class InMemoryUnitOfWork implements UnitOfWork {
  constructor(public store = new InMemoryStore()) {}
  async run<T>(_correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const copy = structuredClone(this.store);
    const result = await work(this.tx(copy));
    this.store = copy;
    return result;
  }
  async read<T>(work: (reads: Reads) => Promise<T>): Promise<T> {
    return work({
      notifications: new InMemoryNotifications(this.store),
      announcements: new InMemoryAnnouncements(this.store),
    });
  }
  private tx(store: InMemoryStore): Tx {
    return {
      notifications: new InMemoryNotifications(store),
      recipients: new InMemoryRecipients(store),
      announcements: new InMemoryAnnouncements(store),
      tickets: new InMemoryTickets(store),
    };
  }
}

export class FakeClock {
  constructor(public current = new Date('2026-11-29T10:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function fakeDeps(revoked = new Set<string>()) {
  const uow = new InMemoryUnitOfWork();
  const clock = new FakeClock();
  let counter = 0;
  const deps: NotificationsDeps = {
    uow,
    clock,
    ids: { newId: randomUUID },
    codec: { newTicket: () => `ticket-${++counter}`, hash: (ticket) => `hash:${ticket}` },
    sessions: { isRevoked: async (t) => revoked.has(t.sessionId) },
    ticketTtlMs: 30_000,
  };
  return { deps, uow, clock, revoked };
}
