import { revokeSession } from '../domain/session';
import type { AccountsDeps } from './ports';

export interface LogoutCommand {
  userId: string;
  sessionId: string;
  correlationId: string;
}

/** Ends the caller's session: its refresh tokens stop working here and its access tokens everywhere, through the event. */
export function logout(deps: Pick<AccountsDeps, 'uow' | 'clock'>) {
  return (command: LogoutCommand): Promise<void> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const session = await tx.sessions.getForUpdate(command.sessionId);
      // Already ended (a second logout, or a reuse revocation): nothing more to tell anyone.
      if (!session || session.userId !== command.userId || session.revokedAt !== null) return;
      await tx.sessions.update(revokeSession(session, 'logout', now));
      await tx.events.record([
        { type: 'SessionRevoked', occurredAt: now, userId: session.userId, sessionId: session.id, reason: 'logout' },
      ]);
    });
}
