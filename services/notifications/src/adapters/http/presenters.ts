import { mapPage, type Page } from '@tulity/adapters/core/page';
import type { NotificationPage } from '../../application/ports';
import type { Announcement } from '../../domain/announcement';
import type { Notification } from '../../domain/notification';

export const presentNotification = (n: Notification) => ({
  id: n.id,
  seq: n.seq,
  kind: n.kind,
  title: n.title,
  text: n.text,
  link: n.link,
  eventId: n.sourceId,
  announcementId: n.announcementId,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

export const presentNotificationPage = (page: NotificationPage) => ({
  items: page.items.map(presentNotification),
  total: page.total,
  page: page.page,
  pageSize: page.pageSize,
  unreadCount: page.unreadCount,
});

export const presentAnnouncement = (a: Announcement) => ({
  id: a.id,
  audience: a.audience,
  title: a.title,
  text: a.text,
  createdBy: a.createdBy,
  createdAt: a.createdAt.toISOString(),
  recipients: a.recipients,
});

export const presentAnnouncementPage = (page: Page<Announcement>) => mapPage(page, presentAnnouncement);
