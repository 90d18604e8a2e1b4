import type { AccountsEvent } from '../domain/events';
import { revokeSession, type RevocationReason } from '../domain/session';
import type { Tx } from './ports';

/** Revokes the user's live sessions (but `keep`) and returns one SessionRevoked per session. */
export async function endSessions(
  tx: Tx,
  userId: string,
  reason: RevocationReason,
  now: Date,
  keep?: string,
): Promise<AccountsEvent[]> {
  const sessions = (await tx.sessions.liveOf(userId, now)).filter((session) => session.id !== keep);
  for (const session of sessions) await tx.sessions.update(revokeSession(session, reason, now));
  return sessions.map((session) => ({
    type: 'SessionRevoked',
    occurredAt: now,
    userId,
    sessionId: session.id,
    reason,
  }));
}
