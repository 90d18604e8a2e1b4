import type { Knex } from 'knex';
import type { NewNotifications, NotificationRepository } from '../../application/ports';
import type { Kind, Link, Notification } from '../../domain/notification';

export interface NotificationRow {
  id: string;
  recipient_id: string;
  seq: string;
  kind: string;
  title: string;
  text: string;
  link_resource: string | null;
  link_id: string | null;
  source_id: string;
  announcement_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** A notification's columns by name: statements with a `*` are not prepared (adapters/src/postgres/prepared.ts). */
export const notificationColumns = [
  'id',
  'recipient_id',
  'seq',
  'kind',
  'title',
  'text',
  'link_resource',
  'link_id',
  'source_id',
  'announcement_id',
  'created_at',
  'read_at',
] as const satisfies ReadonlyArray<keyof NotificationRow>;

export const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  recipientId: row.recipient_id,
  seq: Number(row.seq),
  kind: row.kind as Kind,
  title: row.title,
  text: row.text,
  link: row.link_resource && row.link_id ? { resource: row.link_resource as Link['resource'], id: row.link_id } : null,
  sourceId: row.source_id,
  announcementId: row.announcement_id,
  createdAt: row.created_at,
  readAt: row.read_at,
});

export class NotificationRepositoryPg implements NotificationRepository {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly newId: () => string,
  ) {}

  async deliver({ audience, content, sourceId, announcementId, createdAt }: NewNotifications): Promise<Notification[]> {
    // Recipients are locked in id order, so two deliveries to overlapping audiences never deadlock,
    // and each user's sequence numbers are handed out in the order their transactions commit.
    const recipients = this.trx('recipients')
      .select<Array<{ id: string }>>('id')
      .where('active', true)
      .orderBy('id')
      .forUpdate();
    if ('userId' in audience) recipients.where('id', audience.userId);
    else {
      recipients.whereIn('role', [...audience.roles]);
      if (audience.except) recipients.whereNot('id', audience.except);
    }
    const ids = (await recipients).map((row) => row.id);
    if (ids.length === 0) return [];
    const already = new Set(
      await this.trx('notifications').where('source_id', sourceId).whereIn('recipient_id', ids).pluck('recipient_id'),
    );
    const fresh = ids.filter((id) => !already.has(id));
    if (fresh.length === 0) return [];
    const numbered = await this.trx('recipients')
      .whereIn('id', fresh)
      .increment('last_seq', 1)
      .returning<Array<{ id: string; last_seq: string }>>(['id', 'last_seq']);
    const rows = await this.trx('notifications')
      .insert(
        numbered.map((recipient) => ({
          id: this.newId(),
          recipient_id: recipient.id,
          seq: recipient.last_seq,
          kind: content.kind,
          title: content.title,
          text: content.text,
          link_resource: content.link?.resource ?? null,
          link_id: content.link?.id ?? null,
          source_id: sourceId,
          announcement_id: announcementId ?? null,
          created_at: createdAt,
        })),
      )
      .onConflict(['source_id', 'recipient_id'])
      .ignore()
      .returning<NotificationRow[]>(notificationColumns);
    return rows.map(toNotification);
  }

  async getForUpdate(recipientId: string, id: string): Promise<Notification | undefined> {
    const row = await this.trx<NotificationRow>('notifications')
      .where({ id, recipient_id: recipientId })
      .forUpdate()
      .first(...notificationColumns);
    return row && toNotification(row);
  }

  async setRead(notification: Notification, readAt: Date | null): Promise<Notification> {
    await this.trx('notifications').where({ id: notification.id }).update({ read_at: readAt });
    return { ...notification, readAt };
  }

  markAllRead(recipientId: string, at: Date): Promise<number> {
    return this.trx('notifications').where({ recipient_id: recipientId }).whereNull('read_at').update({ read_at: at });
  }

  async delete(recipientId: string, id: string): Promise<boolean> {
    return (await this.trx('notifications').where({ id, recipient_id: recipientId }).delete()) > 0;
  }

  pruneRead(before: Date): Promise<number> {
    return this.trx('notifications').where('read_at', '<', before).delete();
  }
}
