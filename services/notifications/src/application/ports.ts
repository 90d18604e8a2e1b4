// The ports the use cases need; adapters/postgres and adapters/crypto implement them.
import type { Actor, Clock, Ids, Role } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import type { Announcement } from '../domain/announcement';
import type { Audience, Content, Kind, Notification } from '../domain/notification';
import type { Recipient } from '../domain/recipient';
import type { StreamTicket } from '../domain/stream-ticket';

export type NotificationSort = 'createdAt';
export interface NotificationFilter {
  unread?: boolean;
  kind?: Kind;
}

export interface NotificationPage extends Page<Notification> {
  /** The recipient's unread notifications, whatever the filter. */
  unreadCount: number;
}

export interface NewNotifications {
  /** Every active user the audience names; those who already have this source's notification are skipped. */
  audience: Audience;
  content: Content;
  sourceId: string;
  announcementId?: string;
  createdAt: Date;
}

export interface NotificationRepository {
  /** Creates the audience's notifications once per (source, recipient); returns those it created. */
  deliver(notifications: NewNotifications): Promise<Notification[]>;
  /** The recipient's notification, locked for the transaction; undefined when it is not theirs. */
  getForUpdate(recipientId: string, id: string): Promise<Notification | undefined>;
  setRead(notification: Notification, readAt: Date | null): Promise<Notification>;
  markAllRead(recipientId: string, at: Date): Promise<number>;
  delete(recipientId: string, id: string): Promise<boolean>;
  /** Deletes notifications read before `before`; returns how many. */
  pruneRead(before: Date): Promise<number>;
}

export interface RecipientRepository {
  save(recipient: Recipient): Promise<void>;
  deactivate(id: string): Promise<void>;
}

export interface AnnouncementRepository {
  add(announcement: Announcement): Promise<void>;
  recordReach(id: string, recipients: number): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface TicketRepository {
  add(hash: string, ticket: StreamTicket): Promise<void>;
  /** Removes and returns the ticket: a second call with the same hash finds nothing. */
  take(hash: string): Promise<StreamTicket | undefined>;
  pruneExpired(now: Date): Promise<number>;
}

export interface Tx {
  notifications: NotificationRepository;
  recipients: RecipientRepository;
  announcements: AnnouncementRepository;
  tickets: TicketRepository;
}

export interface NotificationReads {
  list(recipientId: string, query: ListQuery<NotificationSort> & NotificationFilter): Promise<NotificationPage>;
  get(recipientId: string, id: string): Promise<Notification | undefined>;
  /** The recipient's notifications after `seq`, oldest first, at most `limit`. */
  after(recipientId: string, seq: number, limit: number): Promise<Notification[]>;
  /** The recipient's newest sequence number, 0 when none. */
  latestSeq(recipientId: string): Promise<number>;
}

export interface Reads {
  notifications: NotificationReads;
  announcements: { list(query: ListQuery<'createdAt'>): Promise<Page<Announcement>> };
}

export interface UnitOfWork {
  /** One transaction: everything `work` writes commits together or not at all. */
  run<T>(correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  read<T>(work: (reads: Reads) => Promise<T>): Promise<T>;
}

/** Random stream tickets, stored only as their hash. */
export interface TicketCodec {
  newTicket(): string;
  hash(ticket: string): string;
}

/** Whether accounts revoked the session (logout) or the user (deactivation, deletion) since the token was issued. */
export interface SessionGuard {
  isRevoked(ticket: StreamTicket): Promise<boolean>;
}

export interface NotificationsDeps {
  uow: UnitOfWork;
  clock: Clock;
  ids: Ids;
  codec: TicketCodec;
  sessions: SessionGuard;
  ticketTtlMs: number;
}

export type { Actor, Role };
