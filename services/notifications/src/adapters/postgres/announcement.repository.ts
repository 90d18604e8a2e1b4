import type { Knex } from 'knex';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import { paged } from '@tulity/adapters/postgres/paging';
import type { AnnouncementRepository } from '../../application/ports';
import type { Announcement, AnnouncementAudience } from '../../domain/announcement';

interface AnnouncementRow {
  id: string;
  audience: string;
  title: string;
  text: string;
  created_by: string;
  created_at: Date;
  recipients: number;
}

const toAnnouncement = (row: AnnouncementRow): Announcement => ({
  id: row.id,
  audience: row.audience as AnnouncementAudience,
  title: row.title,
  text: row.text,
  createdBy: row.created_by,
  createdAt: row.created_at,
  recipients: row.recipients,
});

export class AnnouncementRepositoryPg implements AnnouncementRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  async add(a: Announcement): Promise<void> {
    await this.trx('announcements').insert({
      id: a.id,
      audience: a.audience,
      title: a.title,
      text: a.text,
      created_by: a.createdBy,
      created_at: a.createdAt,
      recipients: a.recipients,
    });
  }

  async recordReach(id: string, recipients: number): Promise<void> {
    await this.trx('announcements').where({ id }).update({ recipients });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.trx('announcements').where({ id }).delete()) > 0;
  }
}

export function listAnnouncementRows(db: Knex, query: ListQuery<'createdAt'>): Promise<Page<Announcement>> {
  return paged(db('announcements').select('*'), query, { createdAt: 'created_at' }, toAnnouncement);
}
