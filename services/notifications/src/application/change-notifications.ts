import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import type { Notification } from '../domain/notification';
import type { NotificationsDeps } from './ports';

export function markNotification(deps: Pick<NotificationsDeps, 'uow' | 'clock'>) {
  return (command: { actor: Actor; id: string; read: boolean; correlationId: string }): Promise<Notification> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const notification = await tx.notifications.getForUpdate(command.actor.userId, command.id);
      if (!notification) throw failures.notificationNotFound();
      // Marking read again keeps the first read time: retention counts from it.
      if (command.read === (notification.readAt !== null)) return notification;
      return tx.notifications.setRead(notification, command.read ? deps.clock.now() : null);
    });
}

export function markAllRead(deps: Pick<NotificationsDeps, 'uow' | 'clock'>) {
  return (command: { actor: Actor; correlationId: string }): Promise<number> =>
    deps.uow.run(command.correlationId, (tx) => tx.notifications.markAllRead(command.actor.userId, deps.clock.now()));
}

export function deleteNotification(deps: Pick<NotificationsDeps, 'uow'>) {
  return (command: { actor: Actor; id: string; correlationId: string }): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      if (!(await tx.notifications.delete(command.actor.userId, command.id))) throw failures.notificationNotFound();
    });
}

/** Retention: read notifications older than `readBefore` go, and so do expired stream tickets. */
export function pruneNotifications(deps: Pick<NotificationsDeps, 'uow' | 'clock'>) {
  return (command: { retentionMs: number }): Promise<{ notifications: number; tickets: number }> =>
    deps.uow.run('retention', async (tx) => {
      const now = deps.clock.now();
      const notifications = await tx.notifications.pruneRead(new Date(now.getTime() - command.retentionMs));
      const tickets = await tx.tickets.pruneExpired(now);
      return { notifications, tickets };
    });
}
