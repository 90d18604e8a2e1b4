// A stream ticket: what an EventSource, which cannot send headers, presents instead of a token.
// Short-lived and single-use; bound to the user and the login session that asked for it.
import type { Role } from '@tulity/adapters/core/actor';

export interface StreamTicket {
  userId: string;
  role: Role;
  sessionId: string;
  tokenId: string;
  /** When the access token that asked for it was issued: a user revoked after that is refused. */
  tokenIssuedAt: Date;
  expiresAt: Date;
}

export const isUsable = (ticket: StreamTicket, now: Date) => ticket.expiresAt.getTime() > now.getTime();
