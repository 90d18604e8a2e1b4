// The one place where products' domain events become integration events (the Avro contracts).
// Contracts carry more than the domain event (names, unit levels, reserved totals), so the
// mapping reads them in the same transaction, seeing exactly the state being committed.
import type { Knex } from 'knex';
import type {
  LowStock, PriceChanged, ProductCreated, ProductDeleted, StockChanged, StockReservationRejected, StockReserved,
} from '@tulity/contracts';
import type { ProductsEvent } from '../../domain/events';
import type { Product } from '../../domain/product';
import type { MovementReason, Shortage } from '../../domain/stock';
import type { EventRecorder } from '../../application/ports';

/** What the backbone's outbox offers (adapters/src/events/outbox.ts). */
export interface OutboxWriter {
  write(trx: Knex.Transaction, events: Array<{ type: string; key: string; payload: Record<string, unknown> }>): Promise<void>;
}

const movementReasons: Record<MovementReason, string> = {
  purchase: 'purchase',
  sale_reservation: 'reservation',
  reservation_release: 'release',
  manual_adjustment: 'adjustment',
};

export function eventRecorder(outbox: OutboxWriter, newId: () => string): (trx: Knex.Transaction) => EventRecorder {
  return (trx) => ({
    record: async (events, context) => {
      const outgoing = [];
      for (const event of events) {
        const [type, payload] = await integrationEvent(trx, event);
        const envelope = { eventId: newId(), occurredAt: context.occurredAt.getTime(), correlationId: context.correlationId };
        outgoing.push({ type: `tulity.products.${type}`, key: payload.aggregateId, payload: { ...envelope, ...payload } });
      }
      await outbox.write(trx, outgoing);
    },
  });
}

type Body<T> = Omit<T, 'eventId' | 'occurredAt' | 'correlationId'>;

async function integrationEvent(trx: Knex.Transaction, event: ProductsEvent): Promise<[string, Body<any> & { aggregateId: string }]> {
  switch (event.type) {
    case 'ProductCreated':
    case 'ProductUpdated':
      return [event.type, await productBody(trx, event.product)];
    case 'ProductDeleted':
      return [event.type, { aggregateId: event.product.id, sku: event.product.sku } satisfies Body<ProductDeleted>];
    case 'PriceChanged': {
      const previous = await trx('product_unit_prices')
        .where({ unit_level_id: event.price.unitLevelId })
        .whereNot({ id: event.price.id })
        .where('effective_from', '<=', event.price.effectiveFrom)
        .orderBy([{ column: 'effective_from', order: 'desc' }, { column: 'created_at', order: 'desc' }])
        .first('sell_price');
      return [event.type, {
        aggregateId: event.price.productId,
        unitLevelId: event.price.unitLevelId,
        currency: event.price.currency,
        previousPriceMinor: previous ? Number(previous.sell_price) : null,
        priceMinor: event.price.sellPrice,
      } satisfies Body<PriceChanged>];
    }
    case 'StockChanged':
      return [event.type, {
        aggregateId: event.productId,
        deltaBase: event.delta,
        onHandBase: event.quantity,
        reservedBase: await reservedBase(trx, event.productId),
        reason: movementReasons[event.reason],
        referenceId: event.reference,
      } satisfies Body<StockChanged>];
    case 'LowStock': {
      const product = await trx('products').where({ id: event.productId }).first('sku', 'name');
      return [event.type, {
        aggregateId: event.productId,
        sku: product.sku,
        name: product.name,
        availableBase: event.quantity,
        thresholdBase: event.threshold,
      } satisfies Body<LowStock>];
    }
    case 'StockReserved':
      return [event.type, { aggregateId: event.saleId, lines: event.lines } satisfies Body<StockReserved>];
    case 'StockReservationRejected':
      return [event.type, {
        aggregateId: event.saleId,
        reason: rejectionReason(event.shortages),
        shortages: event.shortages.map((s) => ({ productId: s.productId, requestedBase: s.requested, availableBase: s.available })),
      } satisfies Body<StockReservationRejected>];
  }
}

/** The first reason that is not plain shortage wins: it is the one a cashier must fix first. */
export function rejectionReason(shortages: readonly Shortage[]): string {
  if (shortages.length === 0) return 'no-lines';
  const other = shortages.find((s) => s.reason !== 'INSUFFICIENT_STOCK') ?? shortages[0]!;
  return other.reason.toLowerCase().replaceAll('_', '-');
}

async function productBody(trx: Knex.Transaction, product: Product): Promise<Body<ProductCreated>> {
  const category = await trx('categories').where({ id: product.categoryId }).first('name');
  const baseUnit = await trx('units').where({ id: product.baseUnitId }).first('name');
  const levels = await trx('product_unit_levels as l')
    .join('units as u', 'u.id', 'l.unit_id')
    .where({ 'l.product_id': product.id })
    .orderBy([{ column: 'l.factor' }, { column: 'l.id' }])
    .select('l.id', 'l.unit_id', 'u.name', 'l.factor');
  return {
    aggregateId: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    categoryName: category?.name ?? null,
    baseUnitId: product.baseUnitId,
    baseUnitName: baseUnit?.name ?? '',
    unitLevels: levels.map((l) => ({ unitLevelId: l.id, unitId: l.unit_id, unitName: l.name, conversionFactor: Number(l.factor) })),
    active: product.active,
  };
}

async function reservedBase(trx: Knex.Transaction, productId: string): Promise<number> {
  const row = await trx('stock_reservation_lines as l')
    .join('stock_reservations as r', 'r.sale_id', 'l.sale_id')
    .where({ 'l.product_id': productId, 'r.status': 'reserved' })
    .sum({ total: 'l.base_quantity' })
    .first();
  return Number(row?.total ?? 0);
}
