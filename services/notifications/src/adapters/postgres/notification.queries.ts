// Reads of notifications for lists, details and streams (one statement each, outside a transaction).
import type { Knex } from 'knex';
import type { ListQuery } from '@tulity/adapters/core/page';
import { containing, paged } from '@tulity/adapters/postgres/paging';
import type {
  NotificationFilter,
  NotificationPage,
  NotificationReads,
  NotificationSort,
} from '../../application/ports';
import type { Notification } from '../../domain/notification';
import { notificationColumns, toNotification, type NotificationRow } from './notification.repository';

export class NotificationQueriesPg implements NotificationReads {
  constructor(private readonly db: Knex) {}

  async list(recipientId: string, query: ListQuery<NotificationSort> & NotificationFilter): Promise<NotificationPage> {
    const rows = this.db('notifications')
      .select(...notificationColumns)
      .where({ recipient_id: recipientId });
    if (query.unread === true) rows.whereNull('read_at');
    if (query.unread === false) rows.whereNotNull('read_at');
    if (query.kind) rows.where({ kind: query.kind });
    if (query.q)
      rows.where((text) => text.whereILike('title', containing(query.q!)).orWhereILike('text', containing(query.q!)));
    const [page, unread] = await Promise.all([
      // Ties (one event, one time) are broken by the sequence, so pages never overlap.
      paged(rows, query, { createdAt: 'created_at' }, toNotification, { tieBreaker: 'seq' }),
      this.db('notifications').where({ recipient_id: recipientId }).whereNull('read_at').count({ n: '*' }).first(),
    ]);
    return Object.assign(page, { unreadCount: Number(unread?.n ?? 0) });
  }

  async get(recipientId: string, id: string): Promise<Notification | undefined> {
    const row = await this.db<NotificationRow>('notifications')
      .where({ id, recipient_id: recipientId })
      .first(...notificationColumns);
    return row && toNotification(row);
  }

  async after(recipientId: string, seq: number, limit: number): Promise<Notification[]> {
    const rows = await this.db<NotificationRow>('notifications')
      .select(...notificationColumns)
      .where({ recipient_id: recipientId })
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit);
    return rows.map(toNotification);
  }

  async latestSeq(recipientId: string): Promise<number> {
    const row = await this.db('recipients').select('last_seq').where({ id: recipientId }).first();
    return Number(row?.last_seq ?? 0);
  }
}
