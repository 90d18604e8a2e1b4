import type { ProductCategory, ProductUnit } from '../domain/catalogue';
import type { EventContext, ProductsEvent } from '../domain/events';
import type { Product } from '../domain/product';
import type { MovementResult, StockLevel, StockReservation } from '../domain/stock';
import type { ProductUnitLevel } from '../domain/unit-level';
import type { ProductUnitPrice } from '../domain/unit-price';

/**
 * Rows by id. Adapters turn storage constraint violations (unique, still referenced) into the
 * matching DomainError, so a race between two writers is decided by the database, not by a
 * check-then-write in the use case.
 */
export interface Rows<T> {
  get(id: string): Promise<T | undefined>;
  insert(row: T): Promise<void>;
  update(row: T): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface UnitLevelRows extends Rows<ProductUnitLevel> {
  findMany(ids: readonly string[]): Promise<Map<string, ProductUnitLevel>>;
}

export interface PriceRows extends Rows<ProductUnitPrice> {
  /** The price in force for the unit level at `now`. */
  currentFor(unitLevelId: string, now: Date): Promise<ProductUnitPrice | undefined>;
  /** Prices that have taken effect and were not announced yet, locked; rows other callers hold are skipped. */
  claimDue(now: Date, limit: number): Promise<ProductUnitPrice[]>;
  markAnnounced(id: string, at: Date): Promise<void>;
}

export interface StockRepository {
  create(productId: string): Promise<void>;
  /** Locks the stock rows of these products (in a stable order, so lockers never deadlock). */
  lock(productIds: readonly string[]): Promise<Map<string, StockLevel>>;
  /** Stores the new quantity and its movement, under the lock taken by `lock`. */
  apply(result: MovementResult): Promise<void>;
}

export interface ReservationRepository {
  /** Stores the sale's outcome unless it already has one; false means this sale was already handled. */
  insertIfAbsent(reservation: StockReservation): Promise<boolean>;
  getForUpdate(saleId: string): Promise<StockReservation | undefined>;
  setStatus(saleId: string, status: 'confirmed' | 'released', at: Date): Promise<void>;
  hasOpenLines(productId: string): Promise<boolean>;
}

export interface PurchaseReceipts {
  /** Records that this purchase's stock was received; false when it already was. */
  claim(purchaseId: string, at: Date): Promise<boolean>;
}

export interface EventRecorder {
  /** Writes the events to the outbox in the current transaction. */
  record(events: ProductsEvent[], context: EventContext): Promise<void>;
}

/** Everything a use case may touch inside ONE database transaction. */
export interface Tx {
  categories: Rows<ProductCategory>;
  units: Rows<ProductUnit>;
  products: Rows<Product>;
  levels: UnitLevelRows;
  prices: PriceRows;
  stock: StockRepository;
  reservations: ReservationRepository;
  purchases: PurchaseReceipts;
  events: EventRecorder;
}

export interface UnitOfWork {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Per call: the time, new ids, and the id correlating this change with its cause. */
export interface Context extends EventContext {
  newId(): string;
}
