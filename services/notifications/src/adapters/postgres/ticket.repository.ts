import type { Knex } from 'knex';
import type { Role } from '@tulity/adapters/core/actor';
import type { TicketRepository } from '../../application/ports';
import type { StreamTicket } from '../../domain/stream-ticket';

interface TicketRow {
  hash: string;
  user_id: string;
  role: string;
  session_id: string;
  token_id: string;
  token_issued_at: Date;
  expires_at: Date;
}

export class TicketRepositoryPg implements TicketRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  async add(hash: string, t: StreamTicket): Promise<void> {
    await this.trx('stream_tickets').insert({
      hash,
      user_id: t.userId,
      role: t.role,
      session_id: t.sessionId,
      token_id: t.tokenId,
      token_issued_at: t.tokenIssuedAt,
      expires_at: t.expiresAt,
    });
  }

  async take(hash: string): Promise<StreamTicket | undefined> {
    // Deleting is what makes a ticket single-use: of two requests racing with it, one gets the row.
    const [row] = await this.trx<TicketRow>('stream_tickets').where({ hash }).delete().returning('*');
    return (
      row && {
        userId: row.user_id,
        role: row.role as Role,
        sessionId: row.session_id,
        tokenId: row.token_id,
        tokenIssuedAt: row.token_issued_at,
        expiresAt: row.expires_at,
      }
    );
  }

  pruneExpired(now: Date): Promise<number> {
    return this.trx('stream_tickets').where('expires_at', '<=', now).delete();
  }
}
