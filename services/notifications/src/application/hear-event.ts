// The consumer's use case: an event from another service updates the read model of users and
// becomes the notifications its rule asks for, in the transaction that records it in the inbox.
import type { NotifiableEvent } from '../domain/events';
import { deliveriesFor } from '../domain/rules';
import type { Notification } from '../domain/notification';
import type { NotificationsDeps } from './ports';

export interface HearEventCommand {
  event: NotifiableEvent;
  correlationId: string;
}

export function hearEvent(deps: Pick<NotificationsDeps, 'uow'>) {
  return ({ event, correlationId }: HearEventCommand): Promise<Notification[]> =>
    deps.uow.run(correlationId, async (tx) => {
      if (event.type === 'UserRegistered' || event.type === 'UserUpdated') {
        await tx.recipients.save({
          id: event.userId,
          username: event.username,
          role: event.role,
          active: event.active,
        });
      } else if (event.type === 'UserDeleted') {
        await tx.recipients.deactivate(event.userId);
      }
      const created: Notification[] = [];
      for (const { audience, content } of deliveriesFor(event)) {
        created.push(
          ...(await tx.notifications.deliver({
            audience,
            content,
            sourceId: event.eventId,
            createdAt: event.occurredAt,
          })),
        );
      }
      return created;
    });
}
