// An in-memory unit of work for use-case tests: transactions run one at a time (the effect of
// the row locks Postgres takes) and a thrown error restores the state from before the work.
import { conflict } from '../src/domain/errors';
import type { ProductCategory, ProductUnit } from '../src/domain/catalogue';
import type { EventContext, ProductsEvent } from '../src/domain/events';
import type { Product } from '../src/domain/product';
import type { StockLevel, StockMovement, StockReservation } from '../src/domain/stock';
import type { ProductUnitLevel } from '../src/domain/unit-level';
import { currentPrices, isEffective, type ProductUnitPrice } from '../src/domain/unit-price';
import type { Context, Rows, Tx, UnitOfWork } from '../src/application/ports';

interface State {
  categories: Map<string, ProductCategory>;
  units: Map<string, ProductUnit>;
  products: Map<string, Product>;
  levels: Map<string, ProductUnitLevel>;
  prices: Map<string, ProductUnitPrice>;
  announced: Set<string>;
  stock: Map<string, number>;
  movements: StockMovement[];
  reservations: Map<string, StockReservation>;
  purchases: Set<string>;
  events: Array<{ event: ProductsEvent; context: EventContext }>;
}

const emptyState = (): State => ({
  categories: new Map(), units: new Map(), products: new Map(), levels: new Map(), prices: new Map(), announced: new Set(),
  stock: new Map(), movements: [], reservations: new Map(), purchases: new Set(), events: [],
});

export class InMemoryStore implements UnitOfWork {
  state = emptyState();
  private queue: Promise<unknown> = Promise.resolve();

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const before = structuredClone(this.state);
      try {
        return await work(this.tx());
      } catch (error) {
        this.state = before;
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stock equals the sum of the product's movements: the ledger invariant tests check. */
  ledgerSum(productId: string): number {
    return this.state.movements.filter((m) => m.productId === productId).reduce((sum, m) => sum + m.delta, 0);
  }

  eventsOf<T extends ProductsEvent['type']>(type: T): Array<Extract<ProductsEvent, { type: T }>> {
    return this.state.events.map((e) => e.event).filter((e): e is Extract<ProductsEvent, { type: T }> => e.type === type);
  }

  private tx(): Tx {
    const s = () => this.state;
    const rows = <T extends { id: string }>(pick: () => Map<string, T>, unique: (row: T, other: T) => void = () => undefined): Rows<T> => ({
      get: async (id) => pick().get(id),
      insert: async (row) => {
        for (const other of pick().values()) unique(row, other);
        pick().set(row.id, row);
      },
      update: async (row) => {
        for (const other of pick().values()) if (other.id !== row.id) unique(row, other);
        pick().set(row.id, row);
      },
      delete: async (id) => void pick().delete(id),
    });
    return {
      categories: rows(() => s().categories),
      units: rows(() => s().units),
      products: rows(() => s().products, (row, other) => {
        if (row.sku === other.sku) throw conflict('PRODUCT.SKU_TAKEN', 'SKU taken.', 'sku');
        if (row.barcode !== null && row.barcode === other.barcode) throw conflict('PRODUCT.BARCODE_TAKEN', 'Barcode taken.', 'barcode');
      }),
      levels: {
        ...rows(() => s().levels),
        findMany: async (ids) => new Map(ids.flatMap((id) => {
          const level = s().levels.get(id);
          return level ? [[id, level] as const] : [];
        })),
      },
      prices: {
        ...rows(() => s().prices),
        currentFor: async (unitLevelId, now) => currentPrices([...s().prices.values()], now).find((p) => p.unitLevelId === unitLevelId),
        claimDue: async (now, limit) => [...s().prices.values()]
          .filter((p) => !s().announced.has(p.id) && isEffective(p, now))
          .slice(0, limit),
        markAnnounced: async (id) => void s().announced.add(id),
      },
      stock: {
        create: async (productId) => void s().stock.set(productId, 0),
        lock: async (productIds) => new Map(productIds.flatMap((productId) => {
          const quantity = s().stock.get(productId);
          const product = s().products.get(productId);
          if (quantity === undefined || !product) return [];
          const level: StockLevel = { productId, quantity, lowStockThreshold: product.lowStockThreshold, active: product.active };
          return [[productId, level] as const];
        })),
        apply: async ({ level, movement }) => {
          s().stock.set(level.productId, level.quantity);
          s().movements.push(movement);
        },
      },
      reservations: {
        insertIfAbsent: async (reservation) => {
          if (s().reservations.has(reservation.saleId)) return false;
          s().reservations.set(reservation.saleId, reservation);
          return true;
        },
        getForUpdate: async (saleId) => s().reservations.get(saleId),
        setStatus: async (saleId, status, at) => {
          const held = s().reservations.get(saleId);
          if (held) s().reservations.set(saleId, { ...held, status, updatedAt: at });
        },
        hasOpenLines: async (productId) =>
          [...s().reservations.values()].some((r) => r.status === 'reserved' && r.lines.some((l) => l.productId === productId)),
      },
      purchases: {
        claim: async (purchaseId) => {
          if (s().purchases.has(purchaseId)) return false;
          s().purchases.add(purchaseId);
          return true;
        },
      },
      events: {
        record: async (events, context) => {
          for (const event of events) s().events.push({ event, context: { occurredAt: context.occurredAt, correlationId: context.correlationId } });
        },
      },
    };
  }
}

let nextId = 0;

/** A deterministic context: ids count up across the test file, time is fixed unless given. */
export function testContext(at = new Date('2026-01-01T10:00:00Z')): Context {
  return {
    occurredAt: at,
    correlationId: 'test-correlation',
    newId: () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
  };
}
