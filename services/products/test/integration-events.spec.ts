import { describe, expect, test } from '@jest/globals';
import { catalogue } from '@tulity/contracts';
import { avroProblems, avroType } from '@tulity/adapters/events/avro';
import { rejectionReason, toIntegrationEvent } from '../src/adapters/kafka/integration-events';
import type { ProductsEvent } from '../src/domain/events';
import type { Shortage } from '../src/domain/stock';
import type { ProductUnitPrice } from '../src/domain/unit-price';

const at = new Date('2026-03-01T12:00:00Z');
const price = (id: string, sellPrice: number, buyPrice: number): ProductUnitPrice => ({
  id,
  productId: 'p-1',
  unitLevelId: 'l-1',
  sellPrice,
  buyPrice,
  currency: 'EUR',
  effectiveFrom: at,
  createdAt: at,
});
const shortage = (reason: Shortage['reason']): Shortage => ({
  productId: 'p',
  unitLevelId: 'l',
  requested: 1,
  available: 0,
  reason,
});

/** Maps and checks the payload against the schema producers write, as the outbox does. */
function mapped(event: ProductsEvent) {
  const outgoing = toIntegrationEvent(event, 'corr-1', 'event-1');
  const schema = catalogue[outgoing.type as keyof typeof catalogue].schema;
  expect(avroProblems(avroType(schema), outgoing.payload)).toEqual([]);
  return outgoing;
}

describe('domain events become their contracts without reading anything', () => {
  test('PriceChanged carries the sell and the buy price, each with the one it replaces (v2)', () => {
    const outgoing = mapped({
      type: 'PriceChanged',
      occurredAt: at,
      price: price('new', 175, 95),
      previous: price('old', 150, 90),
    });
    expect(outgoing).toEqual({
      type: 'tulity.products.PriceChanged',
      key: 'p-1',
      payload: {
        eventId: 'event-1',
        occurredAt: at.getTime(),
        correlationId: 'corr-1',
        aggregateId: 'p-1',
        unitLevelId: 'l-1',
        currency: 'EUR',
        priceMinor: 175,
        previousPriceMinor: 150,
        buyPriceMinor: 95,
        previousBuyPriceMinor: 90,
      },
    });
    const first = mapped({ type: 'PriceChanged', occurredAt: at, price: price('new', 175, 95), previous: null });
    expect([first.payload.previousPriceMinor, first.payload.previousBuyPriceMinor]).toEqual([null, null]);
  });

  test('product events carry the category, base unit and unit levels by name', () => {
    const product = {
      id: 'p-1',
      sku: 'COLA',
      barcode: null,
      name: 'Cola',
      description: null,
      categoryId: 'c-1',
      baseUnitId: 'u-1',
      lowStockThreshold: 5,
      active: true,
      createdAt: at,
      updatedAt: at,
    };
    const outgoing = mapped({
      type: 'ProductUpdated',
      occurredAt: at,
      snapshot: {
        product,
        categoryName: 'Drinks',
        baseUnitName: 'piece',
        unitLevels: [{ id: 'l-1', unitId: 'u-1', unitName: 'piece', factor: 1 }],
      },
    });
    expect(outgoing.payload).toMatchObject({
      categoryName: 'Drinks',
      baseUnitName: 'piece',
      unitLevels: [{ unitLevelId: 'l-1', conversionFactor: 1 }],
    });
  });

  test('stock events name their reason as the contract does and carry the reserved total', () => {
    const outgoing = mapped({
      type: 'StockChanged',
      occurredAt: at,
      productId: 'p-1',
      delta: -3,
      quantity: 7,
      reserved: 3,
      reason: 'sale_reservation',
      reference: 'sale-1',
    });
    expect(outgoing.payload).toMatchObject({
      deltaBase: -3,
      onHandBase: 7,
      reservedBase: 3,
      reason: 'reservation',
      referenceId: 'sale-1',
    });
  });

  test('the rejection names the first reason a cashier must fix before plain shortage', () => {
    expect(rejectionReason([shortage('INSUFFICIENT_STOCK')])).toBe('insufficient-stock');
    expect(rejectionReason([shortage('INSUFFICIENT_STOCK'), shortage('UNKNOWN_UNIT_LEVEL')])).toBe(
      'unknown-unit-level',
    );
    expect(rejectionReason([])).toBe('no-lines');
    const outgoing = mapped({
      type: 'StockReservationRejected',
      occurredAt: at,
      saleId: 'sale-1',
      shortages: [shortage('UNKNOWN_PRODUCT')],
    });
    expect(outgoing.payload).toMatchObject({
      aggregateId: 'sale-1',
      reason: 'unknown-product',
      shortages: [{ requestedBase: 1, availableBase: 0 }],
    });
  });
});
