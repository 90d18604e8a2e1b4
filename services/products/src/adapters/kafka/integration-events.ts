// The one place products' domain events become the published contracts (tulity.products.*).
// Pure: the domain event carries everything its contract needs, so nothing is read here.
import { randomUUID } from 'node:crypto';
import type { OutgoingEvent } from '@tulity/adapters/events/outbox';
import type {
  LowStock,
  PriceChanged,
  ProductCreated,
  ProductDeleted,
  ProductUpdated,
  StockChanged,
  StockReservationRejected,
  StockReserved,
} from '@tulity/contracts';
import type { ProductsEvent } from '../../domain/events';
import type { ProductSnapshot } from '../../domain/product';
import type { MovementReason, Shortage } from '../../domain/stock';

const movementReasons: Record<MovementReason, string> = {
  purchase: 'purchase',
  sale_reservation: 'reservation',
  reservation_release: 'release',
  // StockChanged.reason is an open string ("e.g. …"), so a new reason needs no new contract version.
  sale_return: 'return',
  manual_adjustment: 'adjustment',
};

export function toIntegrationEvent(
  event: ProductsEvent,
  correlationId: string,
  eventId: string = randomUUID(),
): OutgoingEvent {
  const envelope = (aggregateId: string) => ({
    eventId,
    occurredAt: event.occurredAt.getTime(),
    correlationId,
    aggregateId,
  });
  switch (event.type) {
    case 'ProductCreated':
      return outgoing(event.type, {
        ...envelope(event.snapshot.product.id),
        ...productBody(event.snapshot),
      } satisfies ProductCreated);
    case 'ProductUpdated':
      return outgoing(event.type, {
        ...envelope(event.snapshot.product.id),
        ...productBody(event.snapshot),
      } satisfies ProductUpdated);
    case 'ProductDeleted':
      return outgoing(event.type, { ...envelope(event.product.id), sku: event.product.sku } satisfies ProductDeleted);
    case 'PriceChanged':
      return outgoing(event.type, {
        ...envelope(event.price.productId),
        unitLevelId: event.price.unitLevelId,
        currency: event.price.currency,
        previousPriceMinor: event.previous?.sellPrice ?? null,
        priceMinor: event.price.sellPrice,
        buyPriceMinor: event.price.buyPrice,
        previousBuyPriceMinor: event.previous?.buyPrice ?? null,
      } satisfies PriceChanged);
    case 'StockChanged':
      return outgoing(event.type, {
        ...envelope(event.productId),
        deltaBase: event.delta,
        onHandBase: event.quantity,
        reservedBase: event.reserved,
        reason: movementReasons[event.reason],
        referenceId: event.reference,
      } satisfies StockChanged);
    case 'LowStock':
      return outgoing(event.type, {
        ...envelope(event.productId),
        sku: event.sku,
        name: event.name,
        availableBase: event.quantity,
        thresholdBase: event.threshold,
      } satisfies LowStock);
    case 'StockReserved':
      return outgoing(event.type, { ...envelope(event.saleId), lines: event.lines } satisfies StockReserved);
    case 'StockReservationRejected':
      return outgoing(event.type, {
        ...envelope(event.saleId),
        reason: rejectionReason(event.shortages),
        shortages: event.shortages.map((s) => ({
          productId: s.productId,
          requestedBase: s.requested,
          availableBase: s.available,
        })),
      } satisfies StockReservationRejected);
  }
}

/** The first reason that is not plain shortage wins: it is the one a cashier must fix first. */
export function rejectionReason(shortages: readonly Shortage[]): string {
  if (shortages.length === 0) return 'no-lines';
  const other = shortages.find((s) => s.reason !== 'INSUFFICIENT_STOCK') ?? shortages[0]!;
  return other.reason.toLowerCase().replaceAll('_', '-');
}

function productBody({ product, categoryName, baseUnitName, unitLevels }: ProductSnapshot) {
  return {
    sku: product.sku,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    categoryName,
    baseUnitId: product.baseUnitId,
    baseUnitName,
    unitLevels: unitLevels.map((l) => ({
      unitLevelId: l.id,
      unitId: l.unitId,
      unitName: l.unitName,
      conversionFactor: l.factor,
    })),
    active: product.active,
  };
}

function outgoing(
  type: ProductsEvent['type'],
  payload: Record<string, unknown> & { aggregateId: string },
): OutgoingEvent {
  return { type: `tulity.products.${type}`, key: payload.aggregateId, payload };
}
