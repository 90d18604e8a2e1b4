import { fail, failures, ok, type Result } from '../domain/failures';
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
 * that revocation commits even though the answer is a refusal.
 */
export function refresh(deps: AccountsDeps) {
  return (command: RefreshCommand): Promise<Result<TokenPair>> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const presented = await tx.sessions.findRefreshTokenForUpdate(deps.codec.hash(command.refreshToken));
      if (!presented) return fail(failures.invalidRefreshToken());
      const session = await tx.sessions.getForUpdate(presented.sessionId);
      if (!session || !isSessionLive(session, now)) return fail(failures.invalidRefreshToken());

      if (presented.usedAt !== null) {
        await tx.sessions.update(revokeSession(session, 'refresh-token-reuse', now));
        await tx.events.record([{ type: 'SessionRevoked', occurredAt: now, userId: session.userId, sessionId: session.id, reason: 'refresh-token-reuse' }]);
        return fail(failures.invalidRefreshToken());
      }
      if (presented.expiresAt <= now) return fail(failures.invalidRefreshToken());
      const user = await tx.users.get(session.userId);
      if (!user || !user.active) return fail(failures.invalidRefreshToken());

      await tx.sessions.markRefreshTokenUsed(presented.id, now);
      return ok(await issueTokens(deps, tx, session, user.role, now));
    });
}
