// The notifications service's failure codes, built here and nowhere else.
import { Failure, invalid, notFound, throttled, unauthenticated } from '@tulity/adapters/core/failure';

export const failures = {
  notificationNotFound: () => notFound('NOTIFICATION.NOT_FOUND', 'There is no such notification.'),
  announcementNotFound: () => notFound('ANNOUNCEMENT.NOT_FOUND', 'There is no such announcement.'),
  /** One answer for unknown, used, expired and revoked tickets: a caller learns nothing from which. */
  ticketInvalid: () =>
    unauthenticated('STREAM.TICKET_INVALID', 'The stream ticket is unknown, used or expired; ask for a new one.'),
  tooManyStreams: (max: number) =>
    throttled('STREAM.TOO_MANY', `You already have ${max} open notification streams; close one first.`, 5),
  lastEventIdInvalid: () =>
    invalid('STREAM.LAST_EVENT_ID_INVALID', 'Last-Event-ID must be a notification sequence number.', 'Last-Event-ID'),
  webhookUnauthenticated: () =>
    unauthenticated('ALERTS.UNAUTHENTICATED', 'Send the webhook secret as "Authorization: Bearer <secret>".'),
};

export type { Failure };
