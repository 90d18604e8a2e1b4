import type { Actor } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import {
  announcementContent,
  announcementSource,
  audienceOf,
  type Announcement,
  type AnnouncementAudience,
} from '../domain/announcement';
import { failures } from '../domain/failures';
import type { NotificationsDeps } from './ports';

export interface PostAnnouncementCommand {
  actor: Actor;
  audience: AnnouncementAudience;
  title: string;
  text: string;
  correlationId: string;
}

/** One announcement row and a notification for every active user of the audience, in one transaction. */
export function postAnnouncement(deps: Pick<NotificationsDeps, 'uow' | 'clock' | 'ids'>) {
  return (command: PostAnnouncementCommand): Promise<Announcement> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const announcement: Announcement = {
        id: deps.ids.newId(),
        audience: command.audience,
        title: command.title,
        text: command.text,
        createdBy: command.actor.userId,
        createdAt: deps.clock.now(),
        recipients: 0,
      };
      await tx.announcements.add(announcement);
      const delivered = await tx.notifications.deliver({
        audience: audienceOf(announcement.audience),
        content: announcementContent(announcement),
        sourceId: announcementSource(announcement.id),
        announcementId: announcement.id,
        createdAt: announcement.createdAt,
      });
      await tx.announcements.recordReach(announcement.id, delivered.length);
      return { ...announcement, recipients: delivered.length };
    });
}

export function listAnnouncements(deps: Pick<NotificationsDeps, 'uow'>) {
  return (query: ListQuery<'createdAt'>): Promise<Page<Announcement>> =>
    deps.uow.read((reads) => reads.announcements.list(query));
}

/** Withdraws an announcement: its notifications go with it, read or not. */
export function deleteAnnouncement(deps: Pick<NotificationsDeps, 'uow'>) {
  return (command: { id: string; correlationId: string }): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      if (!(await tx.announcements.delete(command.id))) throw failures.announcementNotFound();
    });
}
