import type { Actor } from '@tulity/adapters/core/actor';
import type { ListQuery } from '@tulity/adapters/core/page';
import { failures } from '../domain/failures';
import type { Notification } from '../domain/notification';
import type { NotificationFilter, NotificationPage, NotificationSort, NotificationsDeps } from './ports';

/** The actor's own notifications only: a list never names anyone else's. */
export function listNotifications(deps: Pick<NotificationsDeps, 'uow'>) {
  return (command: {
    actor: Actor;
    query: ListQuery<NotificationSort> & NotificationFilter;
  }): Promise<NotificationPage> =>
    deps.uow.read((reads) => reads.notifications.list(command.actor.userId, command.query));
}

/** Someone else's notification is not found, so its existence does not leak. */
export function getNotification(deps: Pick<NotificationsDeps, 'uow'>) {
  return async (command: { actor: Actor; id: string }): Promise<Notification> => {
    const notification = await deps.uow.read((reads) => reads.notifications.get(command.actor.userId, command.id));
    if (!notification) throw failures.notificationNotFound();
    return notification;
  };
}

/** What a stream owes its user after `seq` (a reconnect's Last-Event-ID, or what it last sent). */
export function notificationsAfter(deps: Pick<NotificationsDeps, 'uow'>) {
  return (command: { userId: string; seq: number; limit: number }): Promise<Notification[]> =>
    deps.uow.read((reads) => reads.notifications.after(command.userId, command.seq, command.limit));
}

/** Where a new stream without Last-Event-ID starts: after everything the user already has. */
export function latestSequence(deps: Pick<NotificationsDeps, 'uow'>) {
  return (userId: string): Promise<number> => deps.uow.read((reads) => reads.notifications.latestSeq(userId));
}
