// The local stack's one source of truth: versions, ports, folders, services and databases.
// Plain JavaScript so that `npm start` can run it on a fresh clone before anything is installed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schemaRegistry from '../schema-registry/registry.mjs';

const env = process.env;

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Overridable so a test can run a second, throwaway stack beside the real one.
export const stackDir = env.TULITY_STACK_DIR ?? path.join(root, '.stack');
export const dirs = {
  cache: env.TULITY_STACK_CACHE ?? path.join(stackDir, 'cache'),
  data: path.join(stackDir, 'data'),
  logs: path.join(stackDir, 'logs'),
  run: path.join(stackDir, 'run'),
};

export const versions = {
  kafka: env.TULITY_KAFKA_VERSION ?? '4.1.1',
  apicurio: schemaRegistry.version,
};

/** Where the fetched parts live: Kafka's jars and the unpacked registry. */
export const kafkaHome = path.join(dirs.cache, `kafka-${versions.kafka}`);
export const registryHome = schemaRegistry.homeIn(dirs.cache);

export const host = '127.0.0.1';

export const kafka = {
  port: Number(env.TULITY_KAFKA_PORT ?? 9092),
  controllerPort: Number(env.TULITY_KAFKA_CONTROLLER_PORT ?? 9093),
  heap: env.TULITY_KAFKA_HEAP ?? '768m',
};
kafka.brokers = `${host}:${kafka.port}`;

/**
 * `TULITY_DATABASE_SUFFIX=chaos` gives a second stack databases of its own (tulity_<service>_chaos,
 * tulity_registry_chaos; same roles), so it never touches the developer's data (the chaos run).
 */
export const databaseSuffix = env.TULITY_DATABASE_SUFFIX ?? '';
if (!/^[a-z0-9]{0,20}$/.test(databaseSuffix)) {
  throw new Error(`TULITY_DATABASE_SUFFIX must be up to 20 lower-case letters and digits, not "${databaseSuffix}"`);
}

/** The schema registry's port, heap, database and global level: schema-registry/registry.mjs. */
export const registry = schemaRegistry.registrySettings(host, databaseSuffix);

export const postgres = {
  adminUrl: env.TULITY_PG_ADMIN_URL ?? `postgres://postgres@${host}:5432/postgres`,
  host: env.TULITY_PG_HOST ?? host,
  port: Number(env.TULITY_PG_PORT ?? 5432),
};

// Shifts every HTTP port, so a test can run a second `npm start` beside a developer's.
const portOffset = Number(env.TULITY_PORT_OFFSET ?? 0);

/** Every process `npm start` runs. `database` is false for the web client, which owns nothing. */
export const services = [
  { name: 'accounts', port: 8011, database: true },
  { name: 'notifications', port: 8012, database: true },
  { name: 'products', port: 8013, database: true },
  { name: 'transactions', port: 8014, database: true },
  { name: 'web', port: 8001, database: false },
].map((service) => ({ ...service, defaultPort: service.port, port: service.port + portOffset }));

export const prometheusPort = Number(env.TULITY_PROMETHEUS_PORT ?? 9090) + portOffset;
// Not Alertmanager's default 9093: that is the Kafka controller's here.
export const alertmanagerPort = Number(env.TULITY_ALERTMANAGER_PORT ?? 9095) + portOffset;
// kafka_exporter's port, for the broker-side lag exporter (observability/lag-exporter).
export const lagExporterPort = Number(env.TULITY_LAG_EXPORTER_PORT ?? 9308) + portOffset;

/** Shared by Alertmanager (its webhook's Bearer token) and notifications (TULITY_ALERT_WEBHOOK_SECRET). */
export const alertWebhookSecretFile = path.join(dirs.data, 'alert-webhook-secret');

/** `npm start` against the `_test` databases: how the start-up test keeps developers' data apart. */
export const useTestDatabases = env.TULITY_USE_TEST_DATABASES === '1';

/** Databases that exist only for tests of shared code (no service owns them). */
export const sharedTestDatabases = ['adapters'];

/** Role and database names for a service (or shared test area); one role reaches one database. */
export function databaseOf(name, { test = false } = {}) {
  const role = `tulity_${name}`;
  const database = test ? `${role}_test` : databaseSuffix ? `${role}_${databaseSuffix}` : role;
  return {
    role,
    database,
    url: `postgres://${role}:${role}@${postgres.host}:${postgres.port}/${database}`,
  };
}

/** The environment every service and test process gets. */
export function stackEnv() {
  return {
    TULITY_KAFKA_BROKERS: kafka.brokers,
    TULITY_REGISTRY_URL: registry.url,
    TULITY_STACK_DIR: stackDir,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
}
