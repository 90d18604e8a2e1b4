import type { RevocationReason } from './session';
import type { PublicUser } from './user';

/** What happened to a user, in the domain's words; the adapter maps them to the contracts' events. */
export type AccountsEvent =
  | { type: 'UserRegistered'; occurredAt: Date; user: PublicUser }
  | { type: 'UserUpdated'; occurredAt: Date; user: PublicUser }
  | { type: 'UserDeleted'; occurredAt: Date; user: PublicUser; mode: 'DEACTIVATED' | 'DELETED' }
  | { type: 'SessionRevoked'; occurredAt: Date; userId: string; sessionId: string; reason: RevocationReason };
