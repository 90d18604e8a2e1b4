import type { Clock, Ids } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import type { ProductCategory, ProductUnit } from '../domain/catalogue';
import type { ProductsEvent } from '../domain/events';
import type { Product, ProductSnapshot } from '../domain/product';
import type {
  MovementReason,
  MovementResult,
  SaleReturn,
  StockLevel,
  StockMovement,
  StockReservation,
} from '../domain/stock';
import type { ProductUnitLevel } from '../domain/unit-level';
import type { ProductUnitPrice } from '../domain/unit-price';

/**
 * Rows by id. Adapters turn storage constraint violations (unique, still referenced) into the
 * matching Failure, so a race between two writers is decided by the database, not by a
 * check-then-write in the use case.
 */
export interface Repository<T> {
  get(id: string): Promise<T | undefined>;
  insert(row: T): Promise<void>;
  update(row: T): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A product is only ever stored new through `create`, with its base level and stock row. */
export interface ProductRepository extends Omit<Repository<Product>, 'insert'> {
  /**
   * Stores a new product with its base unit level and its empty stock row, and answers its
   * snapshot; fails with unknownCategory or unknownUnit when either does not exist.
   */
  create(product: Product, baseLevel: ProductUnitLevel): Promise<ProductSnapshot>;
  /** The product with its category and unit names and unit levels, as its events carry it. */
  snapshot(id: string): Promise<ProductSnapshot | undefined>;
}

export interface UnitLevelRepository extends Repository<ProductUnitLevel> {
  findMany(ids: readonly string[]): Promise<Map<string, ProductUnitLevel>>;
}

export interface PriceRepository extends Repository<ProductUnitPrice> {
  /** The price in force for the unit level at `now`. */
  currentFor(unitLevelId: string, now: Date): Promise<ProductUnitPrice | undefined>;
  /** The price of the same unit level in force just before `price` took effect. */
  previousOf(price: ProductUnitPrice): Promise<ProductUnitPrice | undefined>;
  /** A price not announced yet, locked; undefined when announced or held by another announcer. */
  getUnannouncedForUpdate(id: string): Promise<ProductUnitPrice | undefined>;
  markAnnounced(id: string, at: Date): Promise<void>;
  /** Sets the price aside for a while with the reason, so the prices behind it are announced. */
  markAnnouncementFailed(id: string, reason: string, at: Date): Promise<void>;
}

export interface StockRepository {
  /** Locks the stock rows of these products (in a stable order, so lockers never deadlock). */
  lock(productIds: readonly string[]): Promise<Map<string, StockLevel>>;
  /** Stores the new quantity, reserved units and their movement, under the lock taken by `lock`. */
  apply(result: MovementResult): Promise<void>;
  /** Stores what open reservations hold, under the lock taken by `lock`: a change of hands, not of stock. */
  saveReserved(level: StockLevel): Promise<void>;
}

export interface ReservationRepository {
  /** Stores the sale's outcome unless it already has one; false means this sale was already handled. */
  insertIfAbsent(reservation: StockReservation): Promise<boolean>;
  getForUpdate(saleId: string): Promise<StockReservation | undefined>;
  setStatus(saleId: string, status: 'confirmed' | 'released', at: Date): Promise<void>;
}

export interface PurchaseReceipts {
  /** Records that this purchase's stock was received; false when it already was. */
  claim(purchaseId: string, at: Date): Promise<boolean>;
}

export interface SaleReturns {
  /** Every return of the sale recorded so far. */
  of(saleId: string): Promise<SaleReturn[]>;
  /** Records the return with its lines; false when its id is already recorded. */
  record(saleReturn: SaleReturn, at: Date): Promise<boolean>;
}

export interface EventRecorder {
  /** Writes the events to the outbox in the current transaction. */
  record(events: ProductsEvent[]): Promise<void>;
}

/** Everything a use case may touch inside ONE database transaction. */
export interface Tx {
  categories: Repository<ProductCategory>;
  units: Repository<ProductUnit>;
  products: ProductRepository;
  levels: UnitLevelRepository;
  prices: PriceRepository;
  stock: StockRepository;
  reservations: ReservationRepository;
  purchases: PurchaseReceipts;
  returns: SaleReturns;
  events: EventRecorder;
}

export const categorySortKeys = ['name', 'createdAt', 'updatedAt'] as const;
export const unitSortKeys = ['name', 'abbreviation', 'createdAt'] as const;
export const productSortKeys = ['sku', 'name', 'createdAt', 'updatedAt', 'stock'] as const;
export const priceSortKeys = ['effectiveFrom', 'createdAt', 'sellPrice'] as const;
export const movementSortKeys = ['id', 'occurredAt'] as const;
export const movementReasons = [
  'purchase',
  'sale_reservation',
  'reservation_release',
  'sale_return',
  'manual_adjustment',
] as const satisfies readonly MovementReason[];

export type CategoryListQuery = ListQuery<(typeof categorySortKeys)[number]>;
export type UnitListQuery = ListQuery<(typeof unitSortKeys)[number]>;
export type ProductListQuery = ListQuery<(typeof productSortKeys)[number]> & {
  categoryId?: string;
  active?: boolean;
  lowStock?: boolean;
  barcode?: string;
};
export type PriceListQuery = ListQuery<(typeof priceSortKeys)[number]> & { unitLevelId?: string };
export type MovementListQuery = ListQuery<(typeof movementSortKeys)[number]> & { reason?: MovementReason };

export interface ProductListItem extends Product {
  stockQuantity: number;
}
export interface UnitLevelView extends ProductUnitLevel {
  unitName: string;
  unitAbbreviation: string;
}
export interface StockView {
  productId: string;
  /** On hand, base units, reservations taken off. */
  quantity: number;
  /** Held by sales not yet confirmed. */
  reserved: number;
  lowStockThreshold: number;
  updatedAt: Date;
}
export interface MovementView extends StockMovement {
  id: number;
}
/** A product with everything its page shows, read at once. */
export interface ProductDetailView extends Product {
  stock: StockView;
  unitLevels: UnitLevelView[];
  /** Per unit level, the latest price that took effect by the time asked for: never the whole history. */
  prices: ProductUnitPrice[];
}

/** What a read may touch: single statements that need no transaction around them. */
export interface Reads {
  categories: {
    list(query: CategoryListQuery): Promise<Page<ProductCategory>>;
    get(id: string): Promise<ProductCategory | undefined>;
  };
  units: { list(query: UnitListQuery): Promise<Page<ProductUnit>>; get(id: string): Promise<ProductUnit | undefined> };
  products: {
    list(query: ProductListQuery): Promise<Page<ProductListItem>>;
    get(id: string): Promise<Product | undefined>;
    detail(id: string, at: Date): Promise<ProductDetailView | undefined>;
  };
  levels: { of(productId: string): Promise<UnitLevelView[]> };
  prices: {
    list(productId: string, query: PriceListQuery): Promise<Page<ProductUnitPrice>>;
    get(productId: string, id: string): Promise<ProductUnitPrice | undefined>;
    /** Ids of prices that have taken effect and wait to be announced, oldest first. */
    due(now: Date, limit: number): Promise<string[]>;
  };
  stock: {
    get(productId: string): Promise<StockView | undefined>;
    movements(productId: string, query: MovementListQuery): Promise<Page<MovementView>>;
  };
}

export interface UnitOfWork {
  /** Runs `work` in one transaction; events recorded in it carry `correlationId`. */
  run<T>(correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs reads outside any transaction. */
  read<T>(work: (reads: Reads) => Promise<T>): Promise<T>;
}

/** The ports the use cases share; each takes what it needs. */
export interface ProductsDeps {
  uow: UnitOfWork;
  clock: Clock;
  ids: Ids;
}

/** Every write names the request or event that caused it, so its events can be followed. */
export interface Command {
  correlationId: string;
}
