// The stream's authentication: a normal authenticated POST buys a short-lived, single-use ticket
// that the EventSource (which cannot send headers) presents in the URL instead of a token.
import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import { isUsable, type StreamTicket } from '../domain/stream-ticket';
import type { NotificationsDeps } from './ports';

export interface IssueTicketCommand {
  actor: Actor;
  tokenId: string;
  tokenIssuedAt: Date;
  correlationId: string;
}

export function issueStreamTicket(deps: Pick<NotificationsDeps, 'uow' | 'clock' | 'codec' | 'ticketTtlMs'>) {
  return (command: IssueTicketCommand): Promise<{ ticket: string; expiresAt: Date }> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const ticket = deps.codec.newTicket();
      const expiresAt = new Date(deps.clock.now().getTime() + deps.ticketTtlMs);
      await tx.tickets.add(deps.codec.hash(ticket), {
        userId: command.actor.userId,
        role: command.actor.role,
        sessionId: command.actor.sessionId,
        tokenId: command.tokenId,
        tokenIssuedAt: command.tokenIssuedAt,
        expiresAt,
      });
      return { ticket, expiresAt };
    });
}

/** Spends the ticket (whatever comes next, it cannot be used again) and answers whose stream it opens. */
export function redeemStreamTicket(deps: Pick<NotificationsDeps, 'uow' | 'clock' | 'codec' | 'sessions'>) {
  return async (command: { ticket: string; correlationId: string }): Promise<StreamTicket> => {
    const ticket = await deps.uow.run(command.correlationId, (tx) => tx.tickets.take(deps.codec.hash(command.ticket)));
    if (!ticket || !isUsable(ticket, deps.clock.now()) || (await deps.sessions.isRevoked(ticket)))
      throw failures.ticketInvalid();
    return ticket;
  };
}
