// Inbound events → use cases (the consumer role). Each handler runs inside the backbone's inbox
// transaction, so the inbox row, the stock rows and the outgoing events commit together or not at all.
import { z } from 'zod';
import { isFailure } from '@tulity/adapters/core/failure';
import { PermanentEventError, type EventHandler, type IncomingEvent } from '@tulity/adapters/events/consumer';
import type { EventDefinition } from '@tulity/adapters/events/catalogue';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import { readerCatalogue, type EventType, type ReaderPayload } from '@tulity/contracts';
import type { Knex } from 'knex';
import type { UseCases } from '../../main';

export const consumedTypes = {
  saleRequested: 'tulity.transactions.SaleRequested',
  saleConfirmed: 'tulity.transactions.SaleConfirmed',
  saleRejected: 'tulity.transactions.SaleRejected',
  saleCancelled: 'tulity.transactions.SaleCancelled',
  saleReturned: 'tulity.transactions.SaleReturned',
  purchaseRecorded: 'tulity.transactions.PurchaseRecorded',
} as const satisfies Record<string, EventType>;

/** The reader schema of every event products consumes, as contracts/ declares them. */
export const consumerCatalogue = (): Record<string, EventDefinition> => readerCatalogue('products');

type SaleRequested = ReaderPayload<'tulity.transactions.SaleRequested', 'products'>;
type PurchaseRecorded = ReaderPayload<'tulity.transactions.PurchaseRecorded', 'products'>;
type SaleReturned = ReaderPayload<'tulity.transactions.SaleReturned', 'products'>;
type SaleEvent = { aggregateId: string; correlationId: string };

// Products issues its ids as UUIDs: a line naming anything else is malformed, never a lookup.
const lineIds = z.array(z.object({ productId: z.uuid(), unitLevelId: z.uuid() }));

function requestedLines(
  event: string,
  lines: SaleRequested['lines'] | PurchaseRecorded['lines'] | SaleReturned['lines'],
) {
  const checked = lineIds.safeParse(lines);
  if (!checked.success)
    throw new PermanentEventError(`${event}: a line names a product or unit level that is not an id products issued`);
  return lines.map((line) => ({ productId: line.productId, unitLevelId: line.unitLevelId, quantity: line.quantity }));
}

/** A Failure from a use case is the event's fault, not the moment's: retrying cannot help. */
async function permanentOnFailure(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isFailure(error)) throw new PermanentEventError(`${error.code}: ${error.message}`);
    throw error;
  }
}

const uuid = z.uuid();
const isId = (value: unknown): value is string => uuid.safeParse(value).success;
const settlingTypes = new Set<string>([
  consumedTypes.saleConfirmed,
  consumedTypes.saleRejected,
  consumedTypes.saleCancelled,
]);

/**
 * The stock rows a run of events will lock: the products its lines name, and the products the
 * sales it settles reserved. Only ids products could have issued are named; the handlers refuse
 * the rest.
 */
export function stockNamedBy(events: readonly IncomingEvent[]): { productIds: string[]; saleIds: string[] } {
  const productIds = new Set<string>();
  const saleIds = new Set<string>();
  for (const { type, payload } of events) {
    const { lines, aggregateId } = payload as { lines?: unknown; aggregateId?: unknown };
    if (Array.isArray(lines)) {
      for (const line of lines as Array<{ productId?: unknown }>)
        if (isId(line.productId)) productIds.add(line.productId);
    }
    if (settlingTypes.has(type) && typeof aggregateId === 'string') saleIds.add(aggregateId);
  }
  return { productIds: [...productIds], saleIds: [...saleIds] };
}

/** `within(trx)` gives the use cases bound to the consumer's inbox transaction. */
export function eventHandlers(within: (trx: Knex.Transaction) => UseCases): Record<string, EventHandler> {
  const release: EventHandler = ({ payload }: { payload: SaleEvent }, trx) =>
    permanentOnFailure(() =>
      within(trx).releaseReservation({ correlationId: payload.correlationId, saleId: payload.aggregateId }),
    );
  return {
    ...(revocationHandlers() as Record<string, EventHandler>),
    // Lines are converted with products' own unit levels: the factor the sale carries is what
    // transactions priced with, but stock is products' to count.
    [consumedTypes.saleRequested]: ({ payload }: { payload: SaleRequested }, trx) =>
      permanentOnFailure(() =>
        within(trx).reserveStock({
          correlationId: payload.correlationId,
          saleId: payload.aggregateId,
          lines: requestedLines(`sale ${payload.aggregateId}`, payload.lines),
        }),
      ),
    [consumedTypes.saleConfirmed]: ({ payload }: { payload: SaleEvent }, trx) =>
      permanentOnFailure(() =>
        within(trx).confirmReservation({ correlationId: payload.correlationId, saleId: payload.aggregateId }),
      ),
    [consumedTypes.saleRejected]: release,
    [consumedTypes.saleCancelled]: release,
    [consumedTypes.purchaseRecorded]: ({ payload }: { payload: PurchaseRecorded }, trx) =>
      permanentOnFailure(async () => {
        const outcome = await within(trx).receivePurchase({
          correlationId: payload.correlationId,
          purchaseId: payload.aggregateId,
          lines: requestedLines(`purchase ${payload.aggregateId}`, payload.lines),
        });
        if (outcome.kind === 'unusable-line') {
          throw new PermanentEventError(
            `purchase ${payload.aggregateId}: product ${outcome.productId} has no unit level ${outcome.unitLevelId}, or the quantity cannot be counted`,
          );
        }
      }),
    // The quantity in the sold unit level is what counts: products converts it with the factor
    // the sale was reserved at, not with the base quantity transactions computed.
    [consumedTypes.saleReturned]: ({ payload }: { payload: SaleReturned }, trx) =>
      permanentOnFailure(async () => {
        // The return id becomes a primary key: only an id transactions issued is stored.
        if (!z.uuid().safeParse(payload.returnId).success)
          throw new PermanentEventError(
            `sale ${payload.aggregateId}: a return id that is not an id transactions issued`,
          );
        const outcome = await within(trx).returnSale({
          correlationId: payload.correlationId,
          saleId: payload.aggregateId,
          returnId: payload.returnId,
          lines: requestedLines(`return ${payload.returnId}`, payload.lines),
        });
        if (outcome.kind === 'unusable')
          throw new PermanentEventError(`return ${payload.returnId} of sale ${payload.aggregateId}: ${outcome.reason}`);
      }),
  };
}
