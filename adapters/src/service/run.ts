// What every service's main.ts does besides wiring: settings, migrations, the roles named in
// TULITY_ROLES (api, relay, consumer), and a graceful shutdown that stops them in reverse order.
import type Koa from 'koa';
import { catalogue } from '@tulity/contracts';
import { commonSettings, setting } from '../config';
import type { EventCatalogue } from '../events/catalogue';
import { startRelay } from '../events/relay';
import { backoff } from '../loop';
import { listen, onShutdown } from '../http/server';
import { createKafka, type Kafka } from '../kafka/client';
import { createLogger, type Logger } from '../logger';
import { createMetrics, type Metrics } from '../metrics';
import { createDatabase, migrateLatest, type Knex } from '../postgres/database';

/** What a role is started with: the process's shared adapters and settings. */
export interface ServiceRuntime {
  service: string;
  db: Knex;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
  registryUrl: string;
}

export interface Stoppable {
  stop(): Promise<void>;
}

export interface ServiceDefinition {
  service: string;
  defaultPort: number;
  migrations: string;
  /** Runs once after migrating, before any role (e.g. the first admin, key rotation). */
  prepare?(runtime: ServiceRuntime): Promise<void>;
  api?(runtime: ServiceRuntime): Koa<any> | Promise<Koa<any>>;
  consumer?(runtime: ServiceRuntime): Promise<Stoppable>;
  /** Outgoing events of the relay; the contracts' catalogue unless a service says otherwise. */
  outgoing?: EventCatalogue;
  /** Background work beside a role, e.g. maintenance next to the api, an announcer next to the relay. */
  background?: Partial<Record<Role, (runtime: ServiceRuntime) => Stoppable>>;
}

export type Role = 'api' | 'relay' | 'consumer';

export async function runService(definition: ServiceDefinition): Promise<void> {
  const { service } = definition;
  const settings = commonSettings(service, definition.defaultPort);
  const roles = new Set(
    setting('TULITY_ROLES', 'api,relay,consumer')
      .split(',')
      .map((role) => role.trim()),
  );
  const logger = createLogger(service);
  const db = createDatabase(settings.databaseUrl);
  await migrateLatest(db, definition.migrations);
  const runtime: ServiceRuntime = {
    service,
    db,
    kafka: createKafka(settings.kafkaBrokers, service),
    logger,
    metrics: createMetrics(service),
    registryUrl: settings.registryUrl,
  };
  await definition.prepare?.(runtime);
  const closers: Array<() => Promise<unknown>> = [];
  const extra = (role: Role) => {
    const started = definition.background?.[role]?.(runtime);
    if (started) closers.push(() => started.stop());
  };

  if (roles.has('api') && definition.api) {
    const server = await listen(await definition.api(runtime), settings.port);
    logger.info({ port: server.port }, `${service} listening`);
    closers.push(server.close);
    extra('api');
  }
  if (roles.has('consumer') && definition.consumer) {
    const consumer = keepTrying(() => definition.consumer!(runtime), logger);
    closers.push(() => consumer.stop());
    extra('consumer');
  }
  if (roles.has('relay')) {
    const relay = startRelay({ ...runtime, catalogue: definition.outgoing ?? catalogue });
    closers.push(() => relay.stop());
    extra('relay');
  }
  onShutdown(logger, [...closers, () => db.destroy()]);
}

/**
 * Starts in the background and retries with backoff until it runs: the API must come up (and
 * keep writing its outbox) while Kafka or the registry is down.
 */
function keepTrying(start: () => Promise<Stoppable>, logger: Logger): Stoppable {
  let running: Stoppable | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (failures: number) => {
    try {
      running = await start();
      if (stopped) await running.stop();
    } catch (error) {
      if (stopped) return;
      const delayMs = backoff(failures + 1, 1000, 30_000);
      logger.warn({ err: error, retryInMs: delayMs }, 'the consumer could not start; retrying');
      timer = setTimeout(() => void attempt(failures + 1), delayMs);
    }
  };
  void attempt(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.stop();
    },
  };
}
