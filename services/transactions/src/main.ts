// Composition root of the transactions service: settings → adapters → use cases → roles.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck } from '@tulity/adapters/auth/revocation';
import { setting } from '@tulity/adapters/config';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { startConsumer } from '@tulity/adapters/events/consumer';
import { createHttpApp } from '@tulity/adapters/http/app';
import { openApiDocument } from '@tulity/adapters/http/openapi';
import { buildRouter } from '@tulity/adapters/http/routes';
import { kafkaReadiness } from '@tulity/adapters/kafka/client';
import type { Logger } from '@tulity/adapters/logger';
import { startLoop, type Loop } from '@tulity/adapters/loop';
import type { Knex } from '@tulity/adapters/postgres/database';
import { runService, type ServiceRuntime } from '@tulity/adapters/service/run';
import { cancelSale } from './application/cancel-sale';
import { dailyReport } from './application/daily-report';
import { expireOverdueSales } from './application/expire-sales';
import { pruneIdempotencyKeys } from './application/idempotency';
import type { TransactionsDeps, TransactionsSettings } from './application/ports';
import { getPurchase, getPurchaseLine, listPurchases } from './application/read-purchases';
import { getSale, getSaleLine, listSaleReturns, listSales } from './application/read-sales';
import { recordPurchase } from './application/record-purchase';
import { recordSale } from './application/record-sale';
import { returnSale } from './application/return-sale';
import { settleSale } from './application/settle-sale';
import { priceChanged, productAnnounced, productDeleted } from './application/sync-catalogue';
import { presentPurchase, presentReturnCreated, presentSale } from './adapters/http/presenters';
import { transactionsApi } from './adapters/http/openapi';
import { transactionRoutes } from './adapters/http/routes';
import { consumerCatalogue, eventHandlers } from './adapters/kafka/handlers';
import { createUnitOfWork } from './adapters/postgres/unit-of-work';

const service = 'transactions';
export const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** `TULITY_CURRENCY` (default EUR) and `TULITY_SALE_DEADLINE_MS` (default 30 s). */
export function settingsFromEnvironment(): TransactionsSettings {
  const currency = setting('TULITY_CURRENCY', 'EUR');
  const saleDeadlineMs = Number(setting('TULITY_SALE_DEADLINE_MS', '30000'));
  if (!/^[A-Z]{3}$/.test(currency))
    throw new Error(`TULITY_CURRENCY must be an ISO 4217 code such as EUR, not "${currency}"`);
  if (!Number.isInteger(saleDeadlineMs) || saleDeadlineMs < 100)
    throw new Error('TULITY_SALE_DEADLINE_MS must be a whole number of milliseconds, at least 100');
  return { currency, saleDeadlineMs };
}

/** The ports over a database (or a transaction: the consumer's inbox transaction). */
export function transactionsDeps(
  db: Knex | Knex.Transaction,
  settings: TransactionsSettings,
  outgoing: EventCatalogue = catalogue,
): TransactionsDeps {
  return {
    uow: createUnitOfWork(db, outgoing),
    clock: { now: () => new Date() },
    ids: { newId: randomUUID },
    settings,
  };
}

export function buildUseCases(deps: TransactionsDeps) {
  return {
    recordSale: recordSale(deps, presentSale),
    getSale: getSale(deps),
    getSaleLine: getSaleLine(deps),
    listSales: listSales(deps),
    cancelSale: cancelSale(deps),
    returnSale: returnSale(deps, presentReturnCreated),
    listSaleReturns: listSaleReturns(deps),
    settleSale: settleSale(deps),
    expireOverdueSales: expireOverdueSales(deps),
    recordPurchase: recordPurchase(deps, presentPurchase),
    getPurchase: getPurchase(deps),
    getPurchaseLine: getPurchaseLine(deps),
    listPurchases: listPurchases(deps),
    dailyReport: dailyReport(deps),
    productAnnounced: productAnnounced(deps),
    productDeleted: productDeleted(deps),
    priceChanged: priceChanged(deps),
    pruneIdempotencyKeys: pruneIdempotencyKeys(deps),
  };
}
export type UseCases = ReturnType<typeof buildUseCases>;

export interface AppDeps extends Pick<ServiceRuntime, 'db' | 'kafka' | 'logger' | 'metrics'> {
  authenticator: Authenticator;
  useCases: UseCases;
}

export function buildApp({ db, kafka, logger, metrics, authenticator, useCases }: AppDeps) {
  const routes = transactionRoutes(useCases);
  return createHttpApp({
    service,
    logger,
    metrics,
    openapi: openApiDocument(routes, transactionsApi),
    routers: [buildRouter(routes, { authenticator })],
    readiness: { database: () => db.raw('select 1'), kafka: kafkaReadiness(kafka) },
  });
}

export interface ConsumerRoleOptions extends Omit<ServiceRuntime, 'service'> {
  settings: TransactionsSettings;
  groupId?: string;
  /** Reader catalogue and outgoing catalogue: tests pass ones with topics of their own. */
  incoming?: EventCatalogue;
  outgoing?: EventCatalogue;
}

/** The consumer role: the catalogue read model and the saga's answers from products. */
export function startConsumerRole(options: ConsumerRoleOptions) {
  return startConsumer({
    groupId: options.groupId ?? service,
    db: options.db,
    kafka: options.kafka,
    registryUrl: options.registryUrl,
    catalogue: options.incoming ?? consumerCatalogue(),
    // Use cases over the inbox transaction: their writes and events commit with the inbox row.
    handlers: eventHandlers((trx) => buildUseCases(transactionsDeps(trx, options.settings, options.outgoing))),
    logger: options.logger,
    metrics: options.metrics,
    // An empty read model catches up from the start of products' topics.
    fromBeginning: true,
  });
}

/** Cancels sales still pending after their deadline, in batches, checking a few times per deadline. */
export function startDeadlineJob(
  useCases: Pick<UseCases, 'expireOverdueSales'>,
  settings: TransactionsSettings,
  logger: Logger,
): Loop {
  const batch = 100;
  const intervalMs = Math.min(1000, Math.ceil(settings.saleDeadlineMs / 4));
  return startLoop({
    step: async () => ((await useCases.expireOverdueSales({ limit: batch })) === batch ? 0 : intervalMs),
    failed: (error) => logger.warn({ err: error }, 'cancelling overdue sales failed; retrying'),
    retryMinMs: intervalMs,
    retryMaxMs: 30_000,
    logger,
  });
}

/** Forgets Idempotency-Keys older than 24 h, once an hour. */
export function startKeyPruning(useCases: Pick<UseCases, 'pruneIdempotencyKeys'>, logger: Logger): Loop {
  return startLoop({
    step: async () => {
      await useCases.pruneIdempotencyKeys();
      return 60 * 60_000;
    },
    failed: (error) => logger.warn({ err: error }, 'pruning idempotency keys failed; retrying'),
    retryMinMs: 1000,
    retryMaxMs: 60_000,
    logger,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const settings = settingsFromEnvironment();
  const useCasesOf = (runtime: ServiceRuntime) => buildUseCases(transactionsDeps(runtime.db, settings));
  await runService({
    service,
    defaultPort: 8014,
    migrations,
    api: (runtime) => {
      const serviceUrls = JSON.parse(setting('TULITY_SERVICE_URLS', '{"accounts":"http://127.0.0.1:8011"}')) as Record<
        string,
        string
      >;
      const authenticator = createAuthenticator({
        jwksUrl: `${serviceUrls.accounts ?? 'http://127.0.0.1:8011'}/api/v1/auth/jwks`,
        issuer: 'tulity-accounts',
        revocations: createRevocationCheck(runtime.db),
      });
      return buildApp({ ...runtime, authenticator, useCases: useCasesOf(runtime) });
    },
    consumer: (runtime) => startConsumerRole({ ...runtime, settings }),
    background: {
      api: (runtime) => startKeyPruning(useCasesOf(runtime), runtime.logger),
      consumer: (runtime) => startDeadlineJob(useCasesOf(runtime), settings, runtime.logger),
    },
  });
}
