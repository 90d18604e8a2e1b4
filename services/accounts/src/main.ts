// Composition root of the accounts service: settings → adapters → use cases → roles.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commonSettings } from '@tulity/adapters/config';
import { createHttpApp } from '@tulity/adapters/http/app';
import { listen, onShutdown } from '@tulity/adapters/http/server';
import { createKafka, kafkaReadiness, type Kafka } from '@tulity/adapters/kafka/client';
import { createLogger, type Logger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import { createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';

const service = 'accounts';
const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export interface Deps {
  db: Knex;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
}

export function buildApp({ db, kafka, logger, metrics }: Deps) {
  return createHttpApp({
    service,
    logger,
    metrics,
    readiness: {
      database: () => db.raw('select 1'),
      kafka: kafkaReadiness(kafka),
    },
  });
}

async function main() {
  const settings = commonSettings(service, 8011);
  const logger = createLogger(service);
  const db = createDatabase(settings.databaseUrl);
  await migrateLatest(db, migrations);
  const kafka = createKafka(settings.kafkaBrokers, service);
  const app = buildApp({ db, kafka, logger, metrics: createMetrics(service) });
  const server = await listen(app, settings.port);
  logger.info({ port: server.port }, 'accounts listening');
  onShutdown(logger, [server.close, () => db.destroy()]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
