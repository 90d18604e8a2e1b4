// The ports transactions' use cases need; postgres/ and test/fakes.ts implement them.
import type { Actor, Clock, Ids } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import type { CatalogueProduct } from '../domain/catalogue';
import type { TransactionsEvent } from '../domain/events';
import type { Purchase } from '../domain/purchase';
import type { PaymentMethod, Sale, SaleReturn, SaleStatus } from '../domain/sale';

export const saleSortKeys = ['createdAt', 'totalMinor', 'status'] as const;
export type SaleSortKey = (typeof saleSortKeys)[number];
export const purchaseSortKeys = ['createdAt', 'totalMinor', 'supplierName'] as const;
export type PurchaseSortKey = (typeof purchaseSortKeys)[number];

export interface SaleFilters {
  status?: SaleStatus;
  from?: Date;
  to?: Date;
  cashierId?: string;
  productId?: string;
  paymentMethod?: PaymentMethod;
}

export interface SaleRepository {
  insert(sale: Sale): Promise<void>;
  get(id: string): Promise<Sale | undefined>;
  /** Locks the sale's row until the transaction ends: transitions of one sale are serialised. */
  getForUpdate(id: string): Promise<Sale | undefined>;
  /** Stores the status, rejection, cancellation and the lines' returned counters. */
  update(sale: Sale): Promise<void>;
  insertReturn(saleReturn: SaleReturn): Promise<void>;
}

export interface SaleReads {
  get(id: string): Promise<Sale | undefined>;
  list(query: ListQuery<SaleSortKey> & SaleFilters): Promise<Page<Sale>>;
  returnsOf(saleId: string): Promise<SaleReturn[]>;
  /** Ids of pending sales whose deadline passed, oldest first. */
  overdue(now: Date, limit: number): Promise<string[]>;
}

export interface PurchaseRepository {
  insert(purchase: Purchase): Promise<void>;
}

export interface PurchaseReads {
  get(id: string): Promise<Purchase | undefined>;
  list(query: ListQuery<PurchaseSortKey> & { from?: Date; to?: Date; productId?: string }): Promise<Page<Purchase>>;
}

/** What products' events say about one unit level's prices; null leaves a price as it was. */
export interface PriceUpdate {
  productId: string;
  unitLevelId: string;
  currency: string;
  sellPriceMinor: number;
  buyPriceMinor: number | null;
}

export interface CatalogueProductUpdate {
  id: string;
  sku: string;
  name: string;
  active: boolean;
  unitLevels: Array<{ id: string; unitName: string; conversionFactor: number }>;
}

/** The local copy of products' catalogue. */
export interface CatalogueRepository {
  /** The products among `ids` that were ever announced, deleted ones included. */
  findMany(ids: string[]): Promise<Map<string, CatalogueProduct>>;
  /** Creates or replaces a product and its unit levels (levels no longer listed go). */
  upsertProduct(product: CatalogueProductUpdate): Promise<void>;
  markDeleted(productId: string): Promise<void>;
  setPrice(price: PriceUpdate): Promise<void>;
}

export interface Replay {
  status: number;
  body: unknown;
}

export type Claim = { kind: 'fresh' } | { kind: 'replay'; response: Replay } | { kind: 'mismatch' };

/**
 * Idempotency keys, per user. `claim` inserts the key; a concurrent transaction holding the same
 * key makes it wait until that one commits (then it replays) or rolls back (then it is fresh).
 */
export interface IdempotencyKeys {
  /** A stored key created `lifetimeMs` or longer before `now` has expired: it is claimed afresh. */
  claim(key: IdempotencyKey, now: Date, lifetimeMs: number): Promise<Claim>;
  complete(key: IdempotencyKey, response: Replay): Promise<void>;
  /** Deletes keys created before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export interface IdempotencyKey {
  userId: string;
  /** The header's value. */
  key: string;
  /** What the request is for and a hash of its body: the same key with another one is refused. */
  fingerprint: string;
}

export interface EventRecorder {
  /** Writes the events to the outbox in the current transaction. */
  record(events: TransactionsEvent[]): Promise<void>;
}

/** Everything a use case may touch inside ONE database transaction. */
export interface Tx {
  sales: SaleRepository;
  purchases: PurchaseRepository;
  catalogue: CatalogueRepository;
  idempotency: IdempotencyKeys;
  events: EventRecorder;
}

/** Reads outside a transaction: one statement each. */
export interface Reads {
  sales: SaleReads;
  purchases: PurchaseReads;
  reports: ReportReads;
}

export interface UnitOfWork {
  /** Runs `work` in one transaction; events recorded in it carry `correlationId`. */
  run<T>(correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  read<T>(work: (reads: Reads) => Promise<T>): Promise<T>;
}

export interface DailyReportQuery {
  from: string;
  to: string;
  timeZone: string;
}

export interface DailyRow {
  /** The day in the report's time zone, YYYY-MM-DD. */
  day: string;
  count: number;
  revenueMinor: number;
  refundedMinor: number;
  byStatus: Record<SaleStatus, number>;
  byPaymentMethod: Record<PaymentMethod | 'none', { count: number; revenueMinor: number }>;
  topProducts: Array<{ productId: string; sku: string; name: string; baseQuantity: number; revenueMinor: number }>;
}

export interface ReportReads {
  daily(query: DailyReportQuery): Promise<DailyRow[]>;
}

export interface TransactionsSettings {
  /** ISO 4217 code the shop sells and buys in; a price in another currency counts as no price. */
  currency: string;
  /** How long a sale may stay pending before the service cancels it. */
  saleDeadlineMs: number;
}

export interface TransactionsDeps {
  uow: UnitOfWork;
  clock: Clock;
  ids: Ids;
  settings: TransactionsSettings;
}

export type { Actor };
