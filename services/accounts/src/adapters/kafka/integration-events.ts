import { randomUUID } from 'node:crypto';
import type { OutgoingEvent } from '@tulity/adapters/events/outbox';
import type { SessionRevoked, UserDeleted, UserRegistered, UserUpdated } from '@tulity/contracts';
import type { AccountsEvent } from '../../domain/events';
import type { PublicUser } from '../../domain/user';

// The one place domain events become the published contracts (tulity.accounts.* on accounts.user).
export function toIntegrationEvent(event: AccountsEvent, correlationId: string): OutgoingEvent {
  const aggregateId = event.type === 'SessionRevoked' ? event.userId : event.user.id;
  const envelope = { eventId: randomUUID(), occurredAt: event.occurredAt.getTime(), correlationId, aggregateId };
  switch (event.type) {
    case 'UserRegistered':
      return outgoing('tulity.accounts.UserRegistered', aggregateId, {
        ...envelope,
        ...profile(event.user),
      } satisfies UserRegistered);
    case 'UserUpdated':
      return outgoing('tulity.accounts.UserUpdated', aggregateId, {
        ...envelope,
        ...profile(event.user),
      } satisfies UserUpdated);
    case 'UserDeleted':
      return outgoing('tulity.accounts.UserDeleted', aggregateId, {
        ...envelope,
        username: event.user.username,
        mode: event.mode,
      } satisfies UserDeleted);
    case 'SessionRevoked':
      return outgoing('tulity.accounts.SessionRevoked', aggregateId, {
        ...envelope,
        sessionId: event.sessionId,
        reason: event.reason,
      } satisfies SessionRevoked);
  }
}

function profile(user: PublicUser) {
  return {
    username: user.username,
    email: user.email,
    fullName: user.fullName,
    roles: [user.role],
    active: user.active,
  };
}

function outgoing(type: string, key: string, payload: object): OutgoingEvent {
  return { type, key, payload: payload as Record<string, unknown> };
}
