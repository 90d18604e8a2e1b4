import type { Role } from '@tulity/adapters/core/actor';
import type { AccountsDeps, Tx } from './ports';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  sessionId: string;
}

/** A new refresh token in the session (never past the session's end) and an access token for it. */
export async function issueTokens(
  deps: Pick<AccountsDeps, 'signer' | 'codec' | 'ids' | 'lifetimes'>,
  tx: Tx,
  session: { id: string; userId: string; expiresAt: Date },
  role: Role,
  now: Date,
): Promise<TokenPair> {
  const refreshToken = deps.codec.generate();
  const refreshTokenExpiresAt = new Date(
    Math.min(now.getTime() + deps.lifetimes.refreshTokenMs, session.expiresAt.getTime()),
  );
  await tx.sessions.insertRefreshToken({
    id: deps.ids.newId(),
    sessionId: session.id,
    hash: deps.codec.hash(refreshToken),
    issuedAt: now,
    expiresAt: refreshTokenExpiresAt,
    usedAt: null,
  });
  const access = await deps.signer.sign({ userId: session.userId, role, sessionId: session.id });
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt,
    sessionId: session.id,
  };
}
