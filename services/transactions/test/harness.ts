// The transactions service in-process against its test database, beside the REAL products
// service (its API, relay and consumer against tulity_products_test), on the shared Kafka and
// registry. Every topic carries a per-run prefix and every consumer group is per run, so parallel
// runs never read each other's events; products' rows are told apart by per-run SKUs.
import { randomUUID } from 'node:crypto';
import { eventsOf, readerCatalogue, type Service } from '@tulity/contracts';
import { createTestIssuer, type TestIssuer } from '@tulity/adapters/auth/testing';
import type { Role } from '@tulity/adapters/core/actor';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import type { Consumer } from '@tulity/adapters/events/consumer';
import { startRelay, type Relay } from '@tulity/adapters/events/relay';
import { createKafka, type Kafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import { createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import {
  brokers,
  emptyTables,
  registryUrl,
  startHttp,
  testDatabase,
  testDatabaseUrl,
  type CallOptions,
  type RunningHttp,
} from '@tulity/adapters/testing/kit';
import { waitFor } from '@tulity/adapters/testing/events';
import * as products from '../../products/src/main';
import type { TransactionsSettings } from '../src/application/ports';
import {
  buildApp,
  buildUseCases,
  migrations,
  startConsumerRole,
  startDeadlineJob,
  transactionsDeps,
} from '../src/main';

export { waitFor };

const logger = createLogger('transactions-it');
logger.level = 'warn';

/** The catalogue entries of `definitions`, moved to this run's topics. */
function ofRun(
  prefix: string,
  definitions: Record<string, { type: string; topic: string; schema: object }>,
): EventCatalogue {
  return Object.fromEntries(
    Object.entries(definitions).map(([type, definition]) => {
      const topic = `${prefix}.${definition.topic}`;
      return [type, { type, topic, subject: `${topic}-${type}`, schema: definition.schema }];
    }),
  );
}
const published = (service: Service) => Object.fromEntries(eventsOf(service).map((entry) => [entry.type, entry]));

export interface Caller {
  userId: string;
  role: Role;
  call(method: string, path: string, options?: Omit<CallOptions, 'token'>): ReturnType<RunningHttp['call']>;
}

export interface System {
  run: string;
  kafka: Kafka;
  db: Knex;
  productsDb: Knex;
  settings: TransactionsSettings;
  issuer: TestIssuer;
  transactions: RunningHttp;
  products: RunningHttp;
  incoming: EventCatalogue;
  outgoing: EventCatalogue;
  groupId: string;
  productsGroupId: string;
  /** A caller with a fresh user of that role. */
  as(role: Role, client?: RunningHttp): Promise<Caller>;
  /** Starts (again) transactions' consumer, with its own metrics when given. */
  startConsumer(options?: { groupId?: string; metrics?: Metrics }): Promise<Consumer>;
  stopConsumer(): Promise<void>;
  startProductsConsumer(options?: { metrics?: Metrics }): Promise<Consumer>;
  stopProductsConsumer(): Promise<void>;
  /** Another transactions API on the same database, e.g. with a short sale deadline. */
  startTransactionsApi(settings: TransactionsSettings): Promise<RunningHttp>;
  stop(): Promise<void>;
}

export async function startSystem(
  settings: TransactionsSettings = { currency: 'EUR', saleDeadlineMs: 30_000 },
): Promise<System> {
  const run = randomUUID().slice(0, 8);
  const prefix = `tx-it-${run}`;
  const kafka = createKafka(brokers, prefix);
  const db = await testDatabase('transactions', migrations);
  await emptyTables(db);
  const productsDb = createDatabase(testDatabaseUrl('products'), { min: 0, max: 20 });
  await migrateLatest(productsDb, products.migrations);
  const issuer = await createTestIssuer();
  const authenticator = issuer.authenticator();

  const incoming = ofRun(prefix, readerCatalogue('transactions'));
  const outgoing = ofRun(prefix, published('transactions'));
  const productsIn = ofRun(prefix, readerCatalogue('products'));
  const productsOut = ofRun(prefix, published('products'));
  const runtime = (service: string) => ({ kafka, logger, metrics: createMetrics(service), registryUrl });

  const closers: Array<() => Promise<unknown>> = [];
  const productsApi = await startHttp(
    products.buildApp({ ...runtime('products'), db: productsDb, authenticator, outgoing: productsOut }),
  );
  // The relay's lock is per service: it shares products' test outbox with any other run, and
  // publishes each row to the topic stored with it.
  const relays: Relay[] = [
    startRelay({
      ...runtime('products'),
      service: 'products',
      db: productsDb,
      catalogue: productsOut,
      maxIdleMs: 20,
      lockRetryMs: 200,
    }),
    startRelay({
      ...runtime('transactions'),
      service: 'transactions',
      db,
      catalogue: outgoing,
      maxIdleMs: 20,
      lockRetryMs: 200,
    }),
  ];
  const deps = transactionsDeps(db, settings, outgoing);
  const transactionsApi = await startHttp(
    buildApp({ ...runtime('transactions'), db, authenticator, useCases: buildUseCases(deps) }),
  );
  const deadlineJob = startDeadlineJob(buildUseCases(deps), settings, logger);

  const groupId = `${prefix}-transactions`;
  const productsGroupId = `${prefix}-products`;
  let consumer: Consumer | undefined;
  let productsConsumer: Consumer | undefined;
  const system: System = {
    run,
    kafka,
    db,
    productsDb,
    settings,
    issuer,
    transactions: transactionsApi,
    products: productsApi,
    incoming,
    outgoing,
    groupId,
    productsGroupId,
    async as(role, client = transactionsApi) {
      const userId = randomUUID();
      const token = await issuer.mint({ role, userId, expiresIn: 3600 });
      return { userId, role, call: (method, path, options) => client.call(method, path, { ...options, token }) };
    },
    async startConsumer(options = {}) {
      consumer = await startConsumerRole({
        ...runtime('transactions'),
        ...(options.metrics ? { metrics: options.metrics } : {}),
        db,
        settings,
        groupId: options.groupId ?? groupId,
        incoming,
        outgoing,
      });
      return consumer;
    },
    async stopConsumer() {
      await consumer?.stop();
      consumer = undefined;
    },
    async startProductsConsumer(options = {}) {
      productsConsumer = await products.startConsumerRole({
        ...runtime('products'),
        ...(options.metrics ? { metrics: options.metrics } : {}),
        db: productsDb,
        groupId: productsGroupId,
        incoming: productsIn,
        outgoing: productsOut,
      });
      return productsConsumer;
    },
    async stopProductsConsumer() {
      await productsConsumer?.stop();
      productsConsumer = undefined;
    },
    async startTransactionsApi(other) {
      const api = await startHttp(
        buildApp({
          ...runtime('transactions'),
          db,
          authenticator,
          useCases: buildUseCases(transactionsDeps(db, other, outgoing)),
        }),
      );
      closers.push(() => api.close());
      return api;
    },
    async stop() {
      for (const close of closers.reverse()) await close();
      await deadlineJob.stop();
      await Promise.all([system.stopConsumer(), system.stopProductsConsumer()]);
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all([transactionsApi.close(), productsApi.close()]);
      await Promise.all([db.destroy(), productsDb.destroy()]);
    },
  };
  try {
    // One after the other: both create the (shared) topics they read, and two creations of one
    // topic at once make the later subscriber fail.
    await system.startConsumer();
    await system.startProductsConsumer();
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

/** Builds a product through products' API as an admin would: piece (base) and box of 24, both priced. */
export async function buildProduct(system: System, sku: string) {
  const admin = await system.as('admin', system.products);
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await admin.call(method, path, { body });
    if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const category = await ok('POST', '/api/v1/categories', { name: `Drinks ${sku}` });
  const piece = await ok('POST', '/api/v1/units', { name: `piece ${sku}`, abbreviation: 'pc' });
  const box = await ok('POST', '/api/v1/units', { name: `box ${sku}`, abbreviation: 'box' });
  const product = await ok('POST', '/api/v1/products', {
    sku,
    barcode: `BC-${sku}`,
    name: `Cola ${sku}`,
    categoryId: category.id,
    baseUnitId: piece.id,
    lowStockThreshold: 0,
  });
  const levels = await ok('GET', `/api/v1/products/${product.id}/unit-levels`);
  const pieceLevel: string = levels.items[0].id;
  const boxLevel: string = (
    await ok('POST', `/api/v1/products/${product.id}/unit-levels`, { unitId: box.id, factor: 24 })
  ).id;
  await ok('POST', `/api/v1/products/${product.id}/prices`, {
    unitLevelId: pieceLevel,
    sellPrice: 150,
    buyPrice: 90,
    currency: 'EUR',
  });
  await ok('POST', `/api/v1/products/${product.id}/prices`, {
    unitLevelId: boxLevel,
    sellPrice: 3200,
    buyPrice: 2000,
    currency: 'EUR',
  });
  // Transactions learns the product only through products' events.
  await waitFor(`the read model to learn ${sku} and both prices`, async () => {
    const prices = await system
      .db('catalogue_prices')
      .where({ product_id: product.id })
      .whereNotNull('buy_price_minor');
    return prices.length === 2;
  });
  return { productId: product.id as string, piece: pieceLevel, box: boxLevel };
}

/** The product's counted stock and the sum of its ledger, in base units. */
export async function stockOf(system: System, productId: string) {
  const row = await system.productsDb('product_stock').where({ product_id: productId }).first();
  const ledger = await system
    .productsDb('stock_movements')
    .where({ product_id: productId })
    .sum({ total: 'delta' })
    .first();
  return { counted: Number(row?.quantity ?? 0), ledger: Number(ledger?.total ?? 0) };
}

/** Waits until the sale left `pending` and answers its final body. */
export async function settled(caller: Caller, saleId: string) {
  return waitFor(`sale ${saleId} to settle`, async () => {
    const answer = await caller.call('GET', `/api/v1/sales/${saleId}`);
    return answer.body.status !== 'pending' ? answer.body : undefined;
  });
}

export const uniqueSku = (name: string) => `TX-${name}-${randomUUID().slice(0, 8)}`;
