// An announcement an admin posts to one role or to everyone; each active recipient gets a notification.
import type { Role } from '@tulity/adapters/core/actor';
import type { Audience, Content } from './notification';

export type AnnouncementAudience = Role | 'everyone';

export interface Announcement {
  id: string;
  audience: AnnouncementAudience;
  title: string;
  text: string;
  createdBy: string;
  createdAt: Date;
  /** How many users it reached when posted. */
  recipients: number;
}

export const everyone = ['admin', 'manager', 'cashier'] as const satisfies readonly Role[];

export const audienceOf = (audience: AnnouncementAudience): Audience => ({
  roles: audience === 'everyone' ? everyone : [audience],
});

export const announcementContent = (a: Pick<Announcement, 'id' | 'title' | 'text'>): Content => ({
  kind: 'announcement',
  title: a.title,
  text: a.text,
  link: { resource: 'announcements', id: a.id },
});

/** The source id of an announcement's notifications (unique with the recipient, like an event id). */
export const announcementSource = (id: string) => `announcement:${id}`;
