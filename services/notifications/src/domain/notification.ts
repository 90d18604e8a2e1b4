// A notification: something one user should hear about, read or not yet.
import type { Role } from '@tulity/adapters/core/actor';

export type Kind =
  | 'user.welcome'
  | 'user.registered'
  | 'product.created'
  | 'product.deleted'
  | 'product.price-changed'
  | 'stock.low'
  | 'sale.confirmed'
  | 'sale.rejected'
  | 'sale.cancelled'
  | 'sale.returned'
  | 'purchase.recorded'
  | 'announcement'
  | 'system.alert';

export const kinds: readonly Kind[] = [
  'user.welcome',
  'user.registered',
  'product.created',
  'product.deleted',
  'product.price-changed',
  'stock.low',
  'sale.confirmed',
  'sale.rejected',
  'sale.cancelled',
  'sale.returned',
  'purchase.recorded',
  'announcement',
  'system.alert',
];

/** What a notification points at, e.g. `{ resource: 'products', id }`. */
export interface Link {
  resource: 'users' | 'products' | 'sales' | 'purchases' | 'announcements';
  id: string;
}

export interface Content {
  kind: Kind;
  title: string;
  text: string;
  link: Link | null;
}

/** Who hears about something: one user, or every active user with one of the roles. */
export type Audience = { userId: string } | { roles: readonly Role[]; except?: string };

export interface Notification extends Content {
  id: string;
  recipientId: string;
  /** Per recipient, increasing in commit order: the SSE event id a reconnecting browser resumes from. */
  seq: number;
  /** The event (or announcement, or alert state) that caused it; unique with the recipient. */
  sourceId: string;
  announcementId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export const titleLength = 120;
export const textLength = 1000;

/** Text from other services' events is not bounded by their contracts: cut it to what a notification holds. */
export function bounded(content: Content): Content {
  return { ...content, title: cut(content.title, titleLength), text: cut(content.text, textLength) };
}

const cut = (text: string, max: number) => {
  const clean = text.replace(/\p{Cc}+/gu, ' ');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
};
