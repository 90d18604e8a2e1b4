/** A login: the family of refresh tokens that rotate from one another, and the access tokens they mint (`sid`). */
export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  /** Absolute end: refreshing never extends a session past it. */
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: RevocationReason | null;
}

export type RevocationReason =
  'logout' | 'refresh-token-reuse' | 'password-changed' | 'role-changed' | 'deactivated' | 'user-deleted';

/** Opaque to clients; stored only as a hash. Each use replaces it with a new one in the same session. */
export interface RefreshToken {
  id: string;
  sessionId: string;
  hash: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Set when it was exchanged; a second exchange means it was stolen or replayed. */
  usedAt: Date | null;
}

export function isSessionLive(session: Session, now: Date): boolean {
  return session.revokedAt === null && session.expiresAt > now;
}

export function revokeSession(session: Session, reason: RevocationReason, now: Date): Session {
  return session.revokedAt ? session : { ...session, revokedAt: now, revokedReason: reason };
}
