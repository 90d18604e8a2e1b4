// In-memory fakes of products' ports for unit tests: transactions run one at a time (the effect
// of the row locks Postgres takes) and a thrown error restores the state from before the work.
import type { Clock, Ids } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import type { ProductCategory, ProductUnit } from '../src/domain/catalogue';
import type { ProductsEvent } from '../src/domain/events';
import { failures } from '../src/domain/failures';
import type { Product } from '../src/domain/product';
import type { SaleReturn, StockMovement, StockReservation } from '../src/domain/stock';
import type { ProductUnitLevel } from '../src/domain/unit-level';
import { currentPrices, isEffective, type ProductUnitPrice } from '../src/domain/unit-price';
import type { ProductsDeps, Reads, Repository, Tx, UnitOfWork } from '../src/application/ports';
import { buildUseCases } from '../src/main';

interface State {
  categories: Map<string, ProductCategory>;
  units: Map<string, ProductUnit>;
  products: Map<string, Product>;
  levels: Map<string, ProductUnitLevel>;
  prices: Map<string, ProductUnitPrice>;
  announced: Set<string>;
  setAside: Map<string, string>;
  stock: Map<string, { quantity: number; reserved: number; updatedAt: Date }>;
  movements: StockMovement[];
  reservations: Map<string, StockReservation>;
  purchases: Set<string>;
  returns: Map<string, SaleReturn>;
  events: Array<{ event: ProductsEvent; correlationId: string }>;
}

const emptyState = (): State => ({
  categories: new Map(),
  units: new Map(),
  products: new Map(),
  levels: new Map(),
  prices: new Map(),
  announced: new Set(),
  setAside: new Map(),
  stock: new Map(),
  movements: [],
  reservations: new Map(),
  purchases: new Set(),
  returns: new Map(),
  events: [],
});

function page<T>(items: T[], query: ListQuery): Page<T> {
  const start = (query.page - 1) * query.pageSize;
  return {
    items: items.slice(start, start + query.pageSize),
    total: items.length,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export class InMemoryUnitOfWork implements UnitOfWork {
  state = emptyState();
  private queue: Promise<unknown> = Promise.resolve();

  run<T>(correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const before = structuredClone(this.state);
      try {
        return await work(this.tx(correlationId));
      } catch (error) {
        this.state = before;
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  read<T>(work: (reads: Reads) => Promise<T>): Promise<T> {
    return work(this.reads());
  }

  /** Stock equals the sum of the product's movements: the ledger invariant tests check. */
  ledgerSum(productId: string): number {
    return this.state.movements.filter((m) => m.productId === productId).reduce((sum, m) => sum + m.delta, 0);
  }

  eventsOf<T extends ProductsEvent['type']>(type: T): Array<Extract<ProductsEvent, { type: T }>> {
    return this.state.events
      .map((e) => e.event)
      .filter((e): e is Extract<ProductsEvent, { type: T }> => e.type === type);
  }

  private tx(correlationId: string): Tx {
    const s = () => this.state;
    const rows = <T extends { id: string }>(
      pick: () => Map<string, T>,
      unique: (row: T, other: T) => void = () => undefined,
    ): Repository<T> => ({
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
      products: {
        ...rows(
          () => s().products,
          (row, other) => {
            if (row.sku === other.sku) throw failures.skuTaken();
            if (row.barcode !== null && row.barcode === other.barcode) throw failures.barcodeTaken();
          },
        ),
        create: async (product, baseLevel) => {
          if (!s().categories.has(product.categoryId)) throw failures.unknownCategory();
          if (!s().units.has(product.baseUnitId)) throw failures.unknownUnit('baseUnitId');
          for (const other of s().products.values()) {
            if (product.sku === other.sku) throw failures.skuTaken();
            if (product.barcode !== null && product.barcode === other.barcode) throw failures.barcodeTaken();
          }
          s().products.set(product.id, product);
          s().levels.set(baseLevel.id, baseLevel);
          s().stock.set(product.id, { quantity: 0, reserved: 0, updatedAt: product.createdAt });
          const baseUnitName = s().units.get(product.baseUnitId)!.name;
          return {
            product,
            categoryName: s().categories.get(product.categoryId)!.name,
            baseUnitName,
            unitLevels: [
              { id: baseLevel.id, unitId: baseLevel.unitId, unitName: baseUnitName, factor: baseLevel.factor },
            ],
          };
        },
        snapshot: async (id) => {
          const product = s().products.get(id);
          if (!product) return undefined;
          const levels = [...s().levels.values()].filter((l) => l.productId === id).sort((a, b) => a.factor - b.factor);
          return {
            product,
            categoryName: s().categories.get(product.categoryId)?.name ?? null,
            baseUnitName: s().units.get(product.baseUnitId)?.name ?? '',
            unitLevels: levels.map((l) => ({
              id: l.id,
              unitId: l.unitId,
              unitName: s().units.get(l.unitId)?.name ?? '',
              factor: l.factor,
            })),
          };
        },
      },
      levels: {
        ...rows(() => s().levels),
        findMany: async (ids) =>
          new Map(
            ids.flatMap((id) => {
              const level = s().levels.get(id);
              return level ? [[id, level] as const] : [];
            }),
          ),
      },
      prices: {
        ...rows(() => s().prices),
        currentFor: async (unitLevelId, now) =>
          currentPrices([...s().prices.values()], now).find((p) => p.unitLevelId === unitLevelId),
        previousOf: async (price) =>
          currentPrices(
            [...s().prices.values()].filter((p) => p.unitLevelId === price.unitLevelId && p.id !== price.id),
            price.effectiveFrom,
          )[0],
        getUnannouncedForUpdate: async (id) => (s().announced.has(id) ? undefined : s().prices.get(id)),
        markAnnounced: async (id) => void s().announced.add(id),
        markAnnouncementFailed: async (id, reason) => void s().setAside.set(id, reason),
      },
      stock: {
        lock: async (productIds) =>
          new Map(
            productIds.flatMap((productId) => {
              const stock = s().stock.get(productId);
              const product = s().products.get(productId);
              if (!stock || !product) return [];
              const { sku, name, lowStockThreshold, active } = product;
              return [
                [
                  productId,
                  {
                    productId,
                    sku,
                    name,
                    quantity: stock.quantity,
                    reserved: stock.reserved,
                    lowStockThreshold,
                    active,
                  },
                ] as const,
              ];
            }),
          ),
        apply: async ({ level, movement }) => {
          s().stock.set(level.productId, {
            quantity: level.quantity,
            reserved: level.reserved,
            updatedAt: movement.occurredAt,
          });
          s().movements.push(movement);
        },
        saveReserved: async (level) => {
          const stock = s().stock.get(level.productId)!;
          s().stock.set(level.productId, { ...stock, reserved: level.reserved });
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
      },
      purchases: {
        claim: async (purchaseId) => {
          if (s().purchases.has(purchaseId)) return false;
          s().purchases.add(purchaseId);
          return true;
        },
      },
      returns: {
        of: async (saleId) => [...s().returns.values()].filter((r) => r.saleId === saleId),
        record: async (saleReturn) => {
          if (s().returns.has(saleReturn.returnId)) return false;
          s().returns.set(saleReturn.returnId, saleReturn);
          return true;
        },
      },
      events: {
        record: async (events) => {
          for (const event of events) s().events.push({ event, correlationId });
        },
      },
    };
  }

  private reads(): Reads {
    const s = this.state;
    const byName = <T extends { name: string }>(items: Iterable<T>) =>
      [...items].sort((a, b) => a.name.localeCompare(b.name));
    const reads: Reads = {
      categories: {
        list: async (query) => page(byName(s.categories.values()), query),
        get: async (id) => s.categories.get(id),
      },
      units: { list: async (query) => page(byName(s.units.values()), query), get: async (id) => s.units.get(id) },
      products: {
        list: async (query) =>
          page(
            byName(s.products.values()).map((p) => ({ ...p, stockQuantity: s.stock.get(p.id)?.quantity ?? 0 })),
            query,
          ),
        get: async (id) => s.products.get(id),
        detail: async (id, at) => {
          const product = s.products.get(id);
          const stock = await reads.stock.get(id);
          if (!product || !stock) return undefined;
          const prices = currentPrices(
            [...s.prices.values()].filter((p) => p.productId === id),
            at,
          );
          return { ...product, stock, unitLevels: await reads.levels.of(id), prices };
        },
      },
      levels: {
        of: async (productId) =>
          [...s.levels.values()]
            .filter((l) => l.productId === productId)
            .sort((a, b) => a.factor - b.factor)
            .map((l) => ({
              ...l,
              unitName: s.units.get(l.unitId)?.name ?? '',
              unitAbbreviation: s.units.get(l.unitId)?.abbreviation ?? '',
            })),
      },
      prices: {
        list: async (productId, query) =>
          page(
            [...s.prices.values()].filter((p) => p.productId === productId),
            query,
          ),
        get: async (productId, id) => (s.prices.get(id)?.productId === productId ? s.prices.get(id) : undefined),
        due: async (now, limit) =>
          [...s.prices.values()]
            .filter((p) => !s.announced.has(p.id) && !s.setAside.has(p.id) && isEffective(p, now))
            .slice(0, limit)
            .map((p) => p.id),
      },
      stock: {
        get: async (productId) => {
          const stock = s.stock.get(productId);
          const product = s.products.get(productId);
          if (!stock || !product) return undefined;
          return {
            productId,
            quantity: stock.quantity,
            reserved: stock.reserved,
            lowStockThreshold: product.lowStockThreshold,
            updatedAt: stock.updatedAt,
          };
        },
        movements: async (productId, query) =>
          page(
            s.movements
              .filter((m) => m.productId === productId)
              .map((m, index) => ({ ...m, id: index + 1 }))
              .reverse(),
            query,
          ),
      },
    };
    return reads;
  }
}

/** A clock tests move by hand. */
export class FixedClock implements Clock {
  constructor(public at = new Date('2026-01-01T10:00:00Z')) {}
  now(): Date {
    return this.at;
  }
}

/** Ids that count up: readable in failures, and UUID-shaped like the real ones. */
export class SequentialIds implements Ids {
  private next = 0;
  newId(): string {
    return `00000000-0000-4000-8000-${String(++this.next).padStart(12, '0')}`;
  }
}

export function fakeDeps(clock = new FixedClock()) {
  const deps = { uow: new InMemoryUnitOfWork(), clock, ids: new SequentialIds() } satisfies ProductsDeps;
  return { ...deps, useCases: buildUseCases(deps) };
}

/** The correlation id every command of a unit test carries. */
export const correlationId = 'test-correlation';

/** A cola sold per piece and per box of 24, threshold 10, with 50 pieces received. */
export async function colaWithBoxes(fake: ReturnType<typeof fakeDeps>) {
  const { useCases } = fake;
  const category = await useCases.createCategory({ correlationId, name: 'Drinks' });
  const piece = await useCases.createUnit({ correlationId, name: 'piece', abbreviation: 'pc' });
  const box = await useCases.createUnit({ correlationId, name: 'box', abbreviation: 'box' });
  const product = await useCases.createProduct({
    correlationId,
    sku: 'COLA',
    name: 'Cola',
    categoryId: category.id,
    baseUnitId: piece.id,
    lowStockThreshold: 10,
  });
  const productId = product.id;
  const pieceLevel = [...fake.uow.state.levels.values()].find((l) => l.productId === productId && l.isBase)!.id;
  const boxLevel = (await useCases.addUnitLevel({ correlationId, productId, unitId: box.id, factor: 24 })).id;
  await useCases.receivePurchase({
    correlationId,
    purchaseId: 'purchase-0',
    lines: [{ productId, unitLevelId: pieceLevel, quantity: 50 }],
  });
  return { productId, pieceLevel, boxLevel };
}
