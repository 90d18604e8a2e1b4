import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import type { SessionRepository } from '../../application/ports';
import type { RefreshToken, RevocationReason, Session } from '../../domain/session';

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: RevocationReason | null;
}

interface RefreshTokenRow {
  id: string;
  session_id: string;
  token_hash: string;
  issued_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  revokedReason: row.revoked_reason,
});

const toRefreshToken = (row: RefreshTokenRow): RefreshToken => ({
  id: row.id,
  sessionId: row.session_id,
  hash: row.token_hash,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  async insert(session: Session) {
    await this.trx<SessionRow>('sessions').insert({
      id: session.id,
      user_id: session.userId,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
      revoked_at: session.revokedAt,
      revoked_reason: session.revokedReason,
    });
  }

  async getForUpdate(id: string) {
    const row = await this.trx<SessionRow>('sessions').where({ id }).forUpdate().first();
    return row && toSession(row);
  }

  async liveOf(userId: string, now: Date) {
    const rows = await this.trx<SessionRow>('sessions')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .orderBy('created_at')
      .forUpdate();
    return rows.map(toSession);
  }

  async update(session: Session) {
    await this.trx('sessions')
      .where({ id: session.id })
      .update({ revoked_at: session.revokedAt, revoked_reason: session.revokedReason });
  }

  async insertRefreshToken(token: RefreshToken) {
    await this.trx<RefreshTokenRow>('refresh_tokens').insert({
      id: token.id,
      session_id: token.sessionId,
      token_hash: token.hash,
      issued_at: token.issuedAt,
      expires_at: token.expiresAt,
      used_at: token.usedAt,
    });
  }

  async findRefreshTokenForUpdate(hash: string) {
    // The row lock makes two concurrent exchanges of one token meet: the second sees it used.
    const row = await this.trx<RefreshTokenRow>('refresh_tokens').where({ token_hash: hash }).forUpdate().first();
    return row && toRefreshToken(row);
  }

  async markRefreshTokenUsed(id: string, at: Date) {
    await this.trx('refresh_tokens').where({ id }).update({ used_at: at });
  }
}

/** Deletes sessions that ended before `before`, with their refresh tokens: nothing in them can be used or detected as reuse any more. */
export async function pruneEndedSessions(db: Knex, before: Date): Promise<number> {
  return transaction(db, async (trx) => {
    const ended = trx('sessions').select('id').where('expires_at', '<', before);
    await trx('refresh_tokens').whereIn('session_id', ended).delete();
    return (await trx('sessions').where('expires_at', '<', before).delete()) as number;
  });
}
