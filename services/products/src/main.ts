// Composition root of the products service: settings → adapters → use cases → roles.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck } from '@tulity/adapters/auth/revocation';
import { commonSettings, setting } from '@tulity/adapters/config';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { startConsumer } from '@tulity/adapters/events/consumer';
import { createOutbox } from '@tulity/adapters/events/outbox';
import { startRelay } from '@tulity/adapters/events/relay';
import { createHttpApp } from '@tulity/adapters/http/app';
import { listen, onShutdown } from '@tulity/adapters/http/server';
import { createKafka, kafkaReadiness, type Kafka } from '@tulity/adapters/kafka/client';
import { createLogger, type Logger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import { createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import { buildRouter, openApiDocument } from '@tulity/adapters/http/routes';
import { accessByMethod } from './adapters/http/access';
import { startPriceAnnouncer } from './adapters/price-announcer';
import { productRoutes } from './adapters/http/products.routes';
import { consumerCatalogue, eventHandlers } from './adapters/kafka/event-handlers';
import { eventRecorder } from './adapters/postgres/knex-event-recorder';
import { KnexProductQueries } from './adapters/postgres/knex-queries';
import { KnexUnitOfWork } from './adapters/postgres/knex-tx';

const service = 'products';
export const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export interface Deps {
  db: Knex;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
  authenticator: Authenticator;
  /** Where outgoing events go; tests pass one with topics of their own. */
  outgoing?: EventCatalogue;
}

/** Domain events → outbox rows, validated against their Avro contract in the writing transaction. */
export const recordEvents = (outgoing: EventCatalogue = catalogue) => eventRecorder(createOutbox(outgoing), randomUUID);

export function buildApp({ db, kafka, logger, metrics, authenticator, outgoing }: Deps) {
  const routes = productRoutes({ uow: new KnexUnitOfWork(db, recordEvents(outgoing)), queries: new KnexProductQueries(db) });
  return createHttpApp({
    service,
    logger,
    metrics,
    openapi: openApiDocument(routes, {
      title: 'Tulity products',
      description: 'Catalogue (categories, units, products, unit levels, prices) and stock ledger. Money in integer minor units; stock in base units.',
      defaultAccess: accessByMethod,
      commonProblems: [404, 409],
    }),
    routers: [buildRouter(routes, { authenticator, defaultAccess: accessByMethod })],
    readiness: {
      database: () => db.raw('select 1'),
      kafka: kafkaReadiness(kafka),
    },
  });
}

/** The consumer role: reserves, releases and receives stock from transactions' events. */
export async function startProductsConsumer(deps: Omit<Deps, 'authenticator'> & { registryUrl: string; groupId?: string; incoming?: EventCatalogue }) {
  const incoming = deps.incoming ?? consumerCatalogue();
  return startConsumer({
    groupId: deps.groupId ?? service,
    db: deps.db,
    kafka: deps.kafka,
    registryUrl: deps.registryUrl,
    catalogue: incoming,
    handlers: eventHandlers(recordEvents(deps.outgoing)),
    logger: deps.logger,
    metrics: deps.metrics,
    // A new group starts at the beginning: a sale requested before products first ran still counts.
    fromBeginning: true,
  });
}

async function main() {
  const settings = commonSettings(service, 8013);
  const roles = new Set(setting('TULITY_ROLES', 'api,relay,consumer').split(','));
  const serviceUrls = JSON.parse(setting('TULITY_SERVICE_URLS', '{"accounts":"http://127.0.0.1:8011"}')) as Record<string, string>;
  const logger = createLogger(service);
  const metrics = createMetrics(service);
  const db = createDatabase(settings.databaseUrl);
  await migrateLatest(db, migrations);
  const kafka = createKafka(settings.kafkaBrokers, service);
  const closers: Array<() => Promise<unknown>> = [];

  if (roles.has('api')) {
    const authenticator = createAuthenticator({
      jwksUrl: `${serviceUrls.accounts ?? 'http://127.0.0.1:8011'}/api/v1/auth/jwks`,
      issuer: 'tulity-accounts',
      revocations: createRevocationCheck(db),
    });
    const server = await listen(buildApp({ db, kafka, logger, metrics, authenticator }), settings.port);
    logger.info({ port: server.port }, 'products listening');
    closers.push(server.close);
  }
  if (roles.has('consumer')) {
    const consumer = await startProductsConsumer({ db, kafka, logger, metrics, registryUrl: settings.registryUrl });
    closers.push(() => consumer.stop());
  }
  if (roles.has('relay')) {
    const relay = startRelay({ service, db, kafka, registryUrl: settings.registryUrl, catalogue, logger, metrics });
    const announcer = startPriceAnnouncer(new KnexUnitOfWork(db, recordEvents()), logger);
    closers.push(() => announcer.stop(), () => relay.stop());
  }
  onShutdown(logger, [...closers, () => db.destroy()]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
