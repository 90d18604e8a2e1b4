import { createHash, randomBytes } from 'node:crypto';
import type { TicketCodec } from '../../application/ports';

/** 256 random bits, base64url (43 characters); stored as SHA-256, which is enough for a secret this random. */
export const ticketCodec: TicketCodec = {
  newTicket: () => randomBytes(32).toString('base64url'),
  hash: (ticket) => createHash('sha256').update(ticket).digest('hex'),
};

export const ticketPattern = /^[A-Za-z0-9_-]{43}$/;
