// Inbound events → use cases (the consumer role). Each handler runs in the backbone's inbox
// transaction, and the use cases it calls open their unit of work on that transaction, so the
// inbox row, the read model or the sale, and any outgoing event commit together.
import type { Knex } from 'knex';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import type { EventHandler, IncomingEvent } from '@tulity/adapters/events/consumer';
import {
  readerCatalogue,
  type ProductCreated,
  type ProductDeleted,
  type ProductUpdated,
  type ReaderPayload,
  type StockReservationRejected,
  type StockReserved,
} from '@tulity/contracts';
import type { PriceUpdate } from '../../application/ports';
import type { priceChanged, productAnnounced, productDeleted } from '../../application/sync-catalogue';
import type { settleSale } from '../../application/settle-sale';

/** What the handlers call, built over the inbox transaction. */
export interface ConsumerUseCases {
  productAnnounced: ReturnType<typeof productAnnounced>;
  productDeleted: ReturnType<typeof productDeleted>;
  priceChanged: ReturnType<typeof priceChanged>;
  settleSale: ReturnType<typeof settleSale>;
}

/** The reader schema of every event transactions consumes, as contracts/ declares them. */
export const consumerCatalogue = () => readerCatalogue('transactions');

type PriceChanged = ReaderPayload<'tulity.products.PriceChanged', 'transactions'>;

export function eventHandlers(useCases: (trx: Knex.Transaction) => ConsumerUseCases): Record<string, EventHandler> {
  const announced: EventHandler = async ({ payload }: IncomingEvent<ProductCreated | ProductUpdated>, trx) => {
    await useCases(trx).productAnnounced({
      correlationId: payload.correlationId,
      product: {
        id: payload.aggregateId,
        sku: payload.sku,
        name: payload.name,
        active: payload.active,
        unitLevels: payload.unitLevels.map((level) => ({
          id: level.unitLevelId,
          unitName: level.unitName,
          conversionFactor: level.conversionFactor,
        })),
      },
    });
  };
  return {
    ...(revocationHandlers() as Record<string, EventHandler>),
    'tulity.products.ProductCreated': announced,
    'tulity.products.ProductUpdated': announced,
    'tulity.products.ProductDeleted': async ({ payload }: IncomingEvent<ProductDeleted>, trx) => {
      await useCases(trx).productDeleted({ correlationId: payload.correlationId, productId: payload.aggregateId });
    },
    'tulity.products.PriceChanged': async ({ payload }: IncomingEvent<PriceChanged>, trx) => {
      const price: PriceUpdate = {
        productId: payload.aggregateId,
        unitLevelId: payload.unitLevelId,
        currency: payload.currency,
        sellPriceMinor: payload.priceMinor,
        // Null in events written with v1 (no buy price then): the read model keeps what it knew.
        buyPriceMinor: payload.buyPriceMinor,
      };
      await useCases(trx).priceChanged({ correlationId: payload.correlationId, price });
    },
    'tulity.products.StockReserved': async ({ payload }: IncomingEvent<StockReserved>, trx) => {
      await useCases(trx).settleSale({
        correlationId: payload.correlationId,
        saleId: payload.aggregateId,
        outcome: { kind: 'reserved' },
      });
    },
    'tulity.products.StockReservationRejected': async ({ payload }: IncomingEvent<StockReservationRejected>, trx) => {
      await useCases(trx).settleSale({
        correlationId: payload.correlationId,
        saleId: payload.aggregateId,
        outcome: { kind: 'rejected', reason: payload.reason, shortages: payload.shortages.map((s) => ({ ...s })) },
      });
    },
  };
}
