import { failures } from '../domain/failures';
import { isSessionLive, revokeSession } from '../domain/session';
import { issueTokens, type TokenPair } from './issue-tokens';
import type { AccountsDeps } from './ports';

export interface RefreshCommand {
  refreshToken: string;
  correlationId: string;
}

/**
 * Rotates a refresh token: the presented one is spent and a new one issued in the same session.
 * Presenting a spent one again means two parties hold it, so the whole session is revoked — and
 * that revocation must commit even though the answer is a refusal, so the refusal is thrown only
 * after the transaction.
 */
export function refresh(deps: AccountsDeps) {
  return async (command: RefreshCommand): Promise<TokenPair> => {
    const outcome = await deps.uow.run(command.correlationId, async (tx): Promise<TokenPair | 'reused'> => {
      const now = deps.clock.now();
      const presented = await tx.sessions.findRefreshTokenForUpdate(deps.codec.hash(command.refreshToken));
      if (!presented) throw failures.invalidRefreshToken();
      const session = await tx.sessions.getForUpdate(presented.sessionId);
      if (!session || !isSessionLive(session, now)) throw failures.invalidRefreshToken();

      if (presented.usedAt !== null) {
        await tx.sessions.update(revokeSession(session, 'refresh-token-reuse', now));
        await tx.events.record([
          {
            type: 'SessionRevoked',
            occurredAt: now,
            userId: session.userId,
            sessionId: session.id,
            reason: 'refresh-token-reuse',
          },
        ]);
        return 'reused';
      }
      if (presented.expiresAt <= now) throw failures.invalidRefreshToken();
      const user = await tx.users.get(session.userId);
      if (!user || !user.active) throw failures.invalidRefreshToken();

      await tx.sessions.markRefreshTokenUsed(presented.id, now);
      return issueTokens(deps, tx, session, user.role, now);
    });
    if (outcome === 'reused') throw failures.invalidRefreshToken();
    return outcome;
  };
}
