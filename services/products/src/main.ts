// Composition root of the products service: settings → adapters → use cases → roles.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck } from '@tulity/adapters/auth/revocation';
import type { Clock } from '@tulity/adapters/core/actor';
import { setting } from '@tulity/adapters/config';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { startConsumer, type IncomingEvent } from '@tulity/adapters/events/consumer';
import { createOutbox, deferredOutbox } from '@tulity/adapters/events/outbox';
import { createHttpApp } from '@tulity/adapters/http/app';
import { openApiDocument } from '@tulity/adapters/http/openapi';
import { buildRouter } from '@tulity/adapters/http/routes';
import { kafkaReadiness } from '@tulity/adapters/kafka/client';
import type { Knex } from '@tulity/adapters/postgres/database';
import { runService, type ServiceRuntime } from '@tulity/adapters/service/run';
import { announcePrice, duePrices, setAsideAnnouncement } from './application/announce-prices';
import { adjustStock } from './application/adjust-stock';
import { createCategory, deleteCategory, updateCategory } from './application/manage-categories';
import { deletePrice, setPrice, updatePrice } from './application/manage-prices';
import { createProduct, deleteProduct, updateProduct } from './application/manage-products';
import { addUnitLevel, deleteUnitLevel, updateUnitLevel } from './application/manage-unit-levels';
import { createUnit, deleteUnit, updateUnit } from './application/manage-units';
import type { ProductsDeps } from './application/ports';
import { receivePurchase } from './application/receive-purchase';
import { returnSale } from './application/return-sale';
import { confirmReservation, releaseReservation } from './application/release-reservation';
import { reserveStock } from './application/reserve-stock';
import {
  getCategory,
  getPrice,
  getProduct,
  getUnit,
  getUnitLevel,
  listCategories,
  listPrices,
  listProducts,
  listUnitLevels,
  listUnits,
} from './application/view-catalogue';
import { getStock, listMovements } from './application/view-stock';
import { productsApi } from './adapters/http/openapi';
import { productsRoutes } from './adapters/http/routes';
import { consumerCatalogue, eventHandlers, stockNamedBy } from './adapters/kafka/handlers';
import { lockStockAhead } from './adapters/postgres/stock.repository';
import { createUnitOfWork } from './adapters/postgres/unit-of-work';
import { startPriceAnnouncer } from './adapters/price-announcer';

const service = 'products';
export const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

const systemClock: Clock = { now: () => new Date() };

/**
 * The ports over the database. `outgoing` is where events go (tests pass one with topics of their
 * own); `clock` is the time use cases see (tests move it to when a scheduled price takes effect).
 */
export function productsDeps(db: Knex, outgoing: EventCatalogue = catalogue, clock: Clock = systemClock) {
  const uow = createUnitOfWork(db, createOutbox(outgoing));
  return { uow, clock, ids: { newId: randomUUID } } satisfies ProductsDeps;
}

export function buildUseCases(deps: ProductsDeps) {
  return {
    listCategories: listCategories(deps),
    getCategory: getCategory(deps),
    createCategory: createCategory(deps),
    updateCategory: updateCategory(deps),
    deleteCategory: deleteCategory(deps),
    listUnits: listUnits(deps),
    getUnit: getUnit(deps),
    createUnit: createUnit(deps),
    updateUnit: updateUnit(deps),
    deleteUnit: deleteUnit(deps),
    listProducts: listProducts(deps),
    getProduct: getProduct(deps),
    createProduct: createProduct(deps),
    updateProduct: updateProduct(deps),
    deleteProduct: deleteProduct(deps),
    listUnitLevels: listUnitLevels(deps),
    getUnitLevel: getUnitLevel(deps),
    addUnitLevel: addUnitLevel(deps),
    updateUnitLevel: updateUnitLevel(deps),
    deleteUnitLevel: deleteUnitLevel(deps),
    listPrices: listPrices(deps),
    getPrice: getPrice(deps),
    setPrice: setPrice(deps),
    updatePrice: updatePrice(deps),
    deletePrice: deletePrice(deps),
    duePrices: duePrices(deps),
    announcePrice: announcePrice(deps),
    setAsideAnnouncement: setAsideAnnouncement(deps),
    getStock: getStock(deps),
    listMovements: listMovements(deps),
    adjustStock: adjustStock(deps),
    reserveStock: reserveStock(deps),
    confirmReservation: confirmReservation(deps),
    releaseReservation: releaseReservation(deps),
    receivePurchase: receivePurchase(deps),
    returnSale: returnSale(deps),
  };
}

export type UseCases = ReturnType<typeof buildUseCases>;

interface AppDeps extends Pick<ServiceRuntime, 'db' | 'kafka' | 'logger' | 'metrics'> {
  authenticator: Authenticator;
  outgoing?: EventCatalogue;
}

export function buildApp({ db, kafka, logger, metrics, authenticator, outgoing }: AppDeps) {
  const routes = productsRoutes(buildUseCases(productsDeps(db, outgoing)));
  return createHttpApp({
    service,
    logger,
    metrics,
    openapi: openApiDocument(routes, productsApi),
    routers: [buildRouter(routes, { authenticator })],
    readiness: {
      database: () => db.raw('select 1'),
      kafka: kafkaReadiness(kafka),
    },
  });
}

interface ConsumerDeps extends Pick<ServiceRuntime, 'db' | 'kafka' | 'logger' | 'metrics' | 'registryUrl'> {
  groupId?: string;
  /** Reader schemas and topics of consumed events; tests pass their own topics. */
  incoming?: EventCatalogue;
  outgoing?: EventCatalogue;
}

/**
 * How the consumer role applies a run of events: the handlers over a unit of work joining the
 * run's transaction, the stock rows locked first, and the events the handlers record written once,
 * after the last of them.
 */
export function consumerRun(db: Knex, outgoing?: EventCatalogue) {
  const { clock, ids } = productsDeps(db, outgoing);
  const outbox = deferredOutbox(outgoing ?? catalogue);
  const uow = createUnitOfWork(db, outbox);
  return {
    handlers: eventHandlers((trx) => buildUseCases({ clock, ids, uow: uow.joining(trx) })),
    lockFirst: (trx: Knex.Transaction, events: IncomingEvent[]) => lockStockAhead(trx, stockNamedBy(events)),
    beforeCommit: outbox.flush,
  };
}

/** The consumer role: reserves, releases and receives stock from transactions' events. */
export function startConsumerRole(deps: ConsumerDeps) {
  return startConsumer({
    groupId: deps.groupId ?? service,
    db: deps.db,
    kafka: deps.kafka,
    registryUrl: deps.registryUrl,
    catalogue: deps.incoming ?? consumerCatalogue(),
    ...consumerRun(deps.db, deps.outgoing),
    logger: deps.logger,
    metrics: deps.metrics,
    // A new group starts at the beginning: a sale requested before products first ran still counts.
    fromBeginning: true,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const accountsUrl =
    (JSON.parse(setting('TULITY_SERVICE_URLS', '{}')) as Record<string, string>).accounts ?? 'http://127.0.0.1:8011';
  await runService({
    service,
    defaultPort: 8013,
    migrations,
    api: (runtime) =>
      buildApp({
        ...runtime,
        authenticator: createAuthenticator({
          jwksUrl: `${accountsUrl}/api/v1/auth/jwks`,
          issuer: 'tulity-accounts',
          revocations: createRevocationCheck(runtime.db),
        }),
      }),
    consumer: startConsumerRole,
    background: { relay: (runtime) => startPriceAnnouncer(buildUseCases(productsDeps(runtime.db)), runtime.logger) },
  });
}
