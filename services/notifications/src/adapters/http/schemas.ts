// Requests and responses of the notifications API: they validate at the edge and are the OpenAPI document.
import { z } from 'zod';
import { listQuerySchema } from '@tulity/adapters/http/list-query';
import { kinds, textLength, titleLength, type Kind } from '../../domain/notification';
import { ticketPattern } from '../crypto/ticket-codec';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');
/** Announcements may span lines; other control characters are refused. */
const multiline = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*(?:\n[^\p{Cc}]*)*$/u, 'Control characters other than new lines are not allowed.');

export const notificationListQuery = listQuerySchema(
  { sortKeys: ['createdAt'] as const, defaultSort: '-createdAt' },
  {
    unread: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: only unread; false: only read.'),
    kind: z.enum(kinds as [Kind, ...Kind[]]).optional(),
  },
);

export const announcementListQuery = listQuerySchema({ sortKeys: ['createdAt'] as const, defaultSort: '-createdAt' });

export const markBody = z.strictObject({ read: z.boolean() });

export const announcementBody = z.strictObject({
  audience: z.enum(['everyone', 'admin', 'manager', 'cashier']),
  title: text(titleLength),
  text: multiline(textLength),
});

export const streamQuery = z.strictObject({ ticket: z.string().regex(ticketPattern, 'Not a stream ticket.') });

/** EventSource sends the last id it saw on reconnect: a sequence number. */
export const lastEventId = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/** The stream itself, as a text/event-stream body. */
export const notificationEvents = z
  .string()
  .describe(
    'Server-Sent Events: `notification` events whose id is the sequence and whose data is a notification as JSON; comment lines are heartbeats',
  );

const link = z.object({ resource: z.string(), id: z.string() }).nullable();
export const notificationResponse = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  kind: z.string(),
  title: z.string(),
  text: z.string(),
  link,
  eventId: z.string(),
  announcementId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export const notificationPageResponse = z.object({
  items: z.array(notificationResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  unreadCount: z.number().int(),
});
export const readAllResponse = z.object({ updated: z.number().int() });
export const ticketResponse = z.object({ ticket: z.string(), expiresAt: z.iso.datetime(), streamUrl: z.string() });
export const announcementResponse = z.object({
  id: z.uuid(),
  audience: z.string(),
  title: z.string(),
  text: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  recipients: z.number().int(),
});
export const announcementPageResponse = z.object({
  items: z.array(announcementResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// Alertmanager's webhook body (version 4). Its envelope carries more (receiver, groupLabels,
// externalURL…) that is not needed, so the envelope is not strict; every field read is bounded.
const labelMap = z
  .record(z.string().max(200), z.string().max(4000))
  .refine((m) => Object.keys(m).length <= 64, 'Too many entries.');
export const alertmanagerBody = z.object({
  version: z.literal('4'),
  status: z.enum(['firing', 'resolved']),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: labelMap,
        annotations: labelMap.default({}),
        startsAt: z.iso.datetime({ offset: true }),
        endsAt: z.string().max(64).optional(),
        fingerprint: z.string().regex(/^[0-9a-f]{1,64}$/),
      }),
    )
    .min(1)
    .max(200),
});
