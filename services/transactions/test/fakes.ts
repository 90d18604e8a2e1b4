// In-memory fakes of transactions' ports, for unit tests of the domain and use cases. A run works
// on a copy of the store and commits it only when the work succeeds, like a transaction.
import type { Clock, Ids } from '@tulity/adapters/core/actor';
import type { Page } from '@tulity/adapters/core/page';
import type {
  CatalogueProductUpdate,
  CatalogueRepository,
  Claim,
  IdempotencyKey,
  IdempotencyKeys,
  PriceUpdate,
  Reads,
  Replay,
  Tx,
  TransactionsDeps,
  TransactionsSettings,
  UnitOfWork,
} from '../src/application/ports';
import type { CatalogueProduct } from '../src/domain/catalogue';
import type { TransactionsEvent } from '../src/domain/events';
import type { Purchase } from '../src/domain/purchase';
import type { Sale, SaleReturn } from '../src/domain/sale';

export interface Store {
  sales: Map<string, Sale>;
  returns: SaleReturn[];
  purchases: Map<string, Purchase>;
  products: Map<string, CatalogueProduct>;
  keys: Map<string, { fingerprint: string; response: Replay | null; createdAt: Date }>;
  events: TransactionsEvent[];
}

const emptyStore = (): Store => ({
  sales: new Map(),
  returns: [],
  purchases: new Map(),
  products: new Map(),
  keys: new Map(),
  events: [],
});
const copy = (store: Store): Store => structuredClone(store);

export class InMemoryCatalogue implements CatalogueRepository {
  constructor(private readonly store: Store) {}
  async findMany(ids: string[]) {
    return new Map(
      ids.flatMap((id) =>
        this.store.products.has(id) ? [[id, structuredClone(this.store.products.get(id)!)] as const] : [],
      ),
    );
  }
  async upsertProduct(product: CatalogueProductUpdate) {
    const before = this.store.products.get(product.id);
    this.store.products.set(product.id, {
      id: product.id,
      sku: product.sku,
      name: product.name,
      active: product.active,
      deleted: false,
      unitLevels: product.unitLevels.map((level) => {
        const known = before?.unitLevels.find((l) => l.id === level.id);
        return {
          ...level,
          sellPriceMinor: known?.sellPriceMinor ?? null,
          buyPriceMinor: known?.buyPriceMinor ?? null,
          currency: known?.currency ?? null,
        };
      }),
    });
  }
  async markDeleted(productId: string) {
    const product = this.store.products.get(productId);
    if (product) this.store.products.set(productId, { ...product, deleted: true, active: false });
  }
  async setPrice(price: PriceUpdate) {
    const level = this.store.products.get(price.productId)?.unitLevels.find((l) => l.id === price.unitLevelId);
    if (!level) return;
    level.currency = price.currency;
    level.sellPriceMinor = price.sellPriceMinor;
    level.buyPriceMinor = price.buyPriceMinor ?? level.buyPriceMinor;
  }
}

export class InMemoryIdempotencyKeys implements IdempotencyKeys {
  constructor(private readonly store: Store) {}
  private id = (key: IdempotencyKey) => `${key.userId}\n${key.key}`;
  async claim(key: IdempotencyKey, now: Date, lifetimeMs: number): Promise<Claim> {
    const stored = this.store.keys.get(this.id(key));
    if (!stored || stored.createdAt.getTime() <= now.getTime() - lifetimeMs) {
      this.store.keys.set(this.id(key), { fingerprint: key.fingerprint, response: null, createdAt: now });
      return { kind: 'fresh' };
    }
    if (stored.fingerprint !== key.fingerprint || !stored.response) return { kind: 'mismatch' };
    return { kind: 'replay', response: stored.response };
  }
  async complete(key: IdempotencyKey, response: Replay) {
    this.store.keys.get(this.id(key))!.response = structuredClone(response);
  }
  async prune(before: Date) {
    let pruned = 0;
    for (const [id, stored] of this.store.keys) {
      if (stored.createdAt < before) {
        this.store.keys.delete(id);
        pruned++;
      }
    }
    return pruned;
  }
}

function txOver(store: Store): Tx {
  return {
    sales: {
      insert: async (sale) => void store.sales.set(sale.id, structuredClone(sale)),
      get: async (id) => structuredClone(store.sales.get(id)),
      getForUpdate: async (id) => structuredClone(store.sales.get(id)),
      update: async (sale) => void store.sales.set(sale.id, structuredClone(sale)),
      insertReturn: async (saleReturn) => void store.returns.push(structuredClone(saleReturn)),
    },
    purchases: { insert: async (purchase) => void store.purchases.set(purchase.id, structuredClone(purchase)) },
    catalogue: new InMemoryCatalogue(store),
    idempotency: new InMemoryIdempotencyKeys(store),
    events: { record: async (events) => void store.events.push(...structuredClone(events)) },
  };
}

const pageOf = <T>(items: T[], page: number, pageSize: number): Page<T> => ({
  items: items.slice((page - 1) * pageSize, page * pageSize),
  total: items.length,
  page,
  pageSize,
});

export class InMemoryUnitOfWork implements UnitOfWork {
  constructor(public store: Store = emptyStore()) {}
  /** Runs one at a time, on a copy committed only on success. */
  private queue: Promise<unknown> = Promise.resolve();
  run<T>(_correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      const draft = copy(this.store);
      const value = await work(txOver(draft));
      this.store = draft;
      return value;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
  read<T>(work: (reads: Reads) => Promise<T>): Promise<T> {
    const store = this.store;
    return work({
      sales: {
        get: async (id) => structuredClone(store.sales.get(id)),
        list: async (query) => {
          const items = [...store.sales.values()].filter(
            (sale) =>
              (!query.cashierId || sale.cashierId === query.cashierId) &&
              (!query.status || sale.status === query.status),
          );
          return pageOf(items, query.page, query.pageSize);
        },
        returnsOf: async (saleId) => store.returns.filter((r) => r.saleId === saleId),
        overdue: async (now, limit) =>
          [...store.sales.values()]
            .filter((s) => s.status === 'pending' && s.deadlineAt <= now)
            .slice(0, limit)
            .map((s) => s.id),
      },
      purchases: {
        get: async (id) => structuredClone(store.purchases.get(id)),
        list: async (query) => pageOf([...store.purchases.values()], query.page, query.pageSize),
      },
      reports: { daily: async () => [] },
    });
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public current = new Date('2026-11-29T10:00:00Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class SequentialIds implements Ids {
  private next = 0;
  newId = () => `00000000-0000-4000-8000-${String(++this.next).padStart(12, '0')}`;
}

export const testSettings: TransactionsSettings = { currency: 'EUR', saleDeadlineMs: 30_000 };

export function fakeDeps(settings: Partial<TransactionsSettings> = {}) {
  const uow = new InMemoryUnitOfWork();
  const clock = new ManualClock();
  const deps: TransactionsDeps = { uow, clock, ids: new SequentialIds(), settings: { ...testSettings, ...settings } };
  return { deps, uow, clock };
}

/** A product with a piece (factor 1) and a box (factor 24) level, priced in EUR. */
export function cola(overrides: Partial<CatalogueProduct> = {}): CatalogueProduct {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    sku: 'COLA',
    name: 'Cola',
    active: true,
    deleted: false,
    unitLevels: [
      {
        id: '22222222-2222-4222-8222-222222222222',
        unitName: 'piece',
        conversionFactor: 1,
        sellPriceMinor: 150,
        buyPriceMinor: 90,
        currency: 'EUR',
      },
      {
        id: '33333333-3333-4333-8333-333333333333',
        unitName: 'box',
        conversionFactor: 24,
        sellPriceMinor: 3200,
        buyPriceMinor: 2000,
        currency: 'EUR',
      },
    ],
    ...overrides,
  };
}
export const piece = '22222222-2222-4222-8222-222222222222';
export const box = '33333333-3333-4333-8333-333333333333';
