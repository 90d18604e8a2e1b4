// Inbound events → use cases. Each handler runs inside the backbone's inbox transaction, so the
// inbox row, the stock rows and the outgoing events commit together or not at all.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { PermanentEventError, type EventHandler, type IncomingEvent } from '@tulity/adapters/events/consumer';
import type { EventDefinition } from '@tulity/adapters/events/catalogue';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import { readerCatalogue, type EventType, type PurchaseRecorded, type SaleLine, type SaleRequested } from '@tulity/contracts';
import type { Context, EventRecorder, Tx } from '../../application/ports';
import { receivePurchase } from '../../application/receive-purchase';
import { confirmReservation, releaseReservation } from '../../application/release-reservation';
import { reserveStock } from '../../application/reserve-stock';
import { knexTx } from '../postgres/knex-tx';

export const consumedTypes = {
  saleRequested: 'tulity.transactions.SaleRequested',
  saleConfirmed: 'tulity.transactions.SaleConfirmed',
  saleRejected: 'tulity.transactions.SaleRejected',
  saleCancelled: 'tulity.transactions.SaleCancelled',
  purchaseRecorded: 'tulity.transactions.PurchaseRecorded',
  sessionRevoked: 'tulity.accounts.SessionRevoked',
  userDeleted: 'tulity.accounts.UserDeleted',
  userUpdated: 'tulity.accounts.UserUpdated',
} as const satisfies Record<string, EventType>;

/** The reader schema of every event products consumes, as contracts/ declares them. */
export const consumerCatalogue = (): Record<string, EventDefinition> => readerCatalogue('products');

type Events = (trx: Knex.Transaction) => EventRecorder;

const contextOf = (payload: { correlationId: string }): Context => ({ occurredAt: new Date(), correlationId: payload.correlationId, newId: randomUUID });

const requestedLines = (lines: SaleLine[] | PurchaseRecorded['lines']) =>
  lines.map((line) => ({ productId: line.productId, unitLevelId: line.unitLevelId, quantity: line.quantity }));

export function eventHandlers(events: Events): Record<string, EventHandler> {
  const tx = (trx: Knex.Transaction): Tx => knexTx(trx, events);
  const release: EventHandler = async ({ payload }: IncomingEvent<{ aggregateId: string; correlationId: string }>, trx) => {
    await releaseReservation(tx(trx), contextOf(payload), payload.aggregateId);
  };
  return {
    ...(revocationHandlers() as Record<string, EventHandler>),
    // Lines are converted with products' own unit levels: the factor the sale carries is what
    // transactions priced with, but stock is products' to count.
    [consumedTypes.saleRequested]: async ({ payload }: IncomingEvent<SaleRequested>, trx) => {
      await reserveStock(tx(trx), contextOf(payload), { saleId: payload.aggregateId, lines: requestedLines(payload.lines) });
    },
    [consumedTypes.saleConfirmed]: async ({ payload }: IncomingEvent<{ aggregateId: string; correlationId: string }>, trx) => {
      await confirmReservation(tx(trx), contextOf(payload), payload.aggregateId);
    },
    [consumedTypes.saleRejected]: release,
    [consumedTypes.saleCancelled]: release,
    [consumedTypes.purchaseRecorded]: async ({ payload }: IncomingEvent<PurchaseRecorded>, trx) => {
      const outcome = await receivePurchase(tx(trx), contextOf(payload), { purchaseId: payload.aggregateId, lines: requestedLines(payload.lines) });
      if (outcome.kind === 'unknown-line') {
        throw new PermanentEventError(`purchase ${payload.aggregateId}: product ${outcome.productId} has no unit level ${outcome.unitLevelId}`);
      }
    },
  };
}
