// Composition root of the accounts service: settings → adapters → use cases → roles.
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Counter } from 'prom-client';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck, pruneRevocations, revocationHandlers } from '@tulity/adapters/auth/revocation';
import { commonSettings, setting } from '@tulity/adapters/config';
import { startConsumer, type Consumer } from '@tulity/adapters/events/consumer';
import { createOutbox } from '@tulity/adapters/events/outbox';
import { startRelay } from '@tulity/adapters/events/relay';
import { createHttpApp } from '@tulity/adapters/http/app';
import { listen, onShutdown } from '@tulity/adapters/http/server';
import { createKafka, kafkaReadiness, type Kafka } from '@tulity/adapters/kafka/client';
import { createLogger, type Logger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import { createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import { bootstrapAdmin } from './application/bootstrap-admin';
import { deleteUser } from './application/delete-user';
import { login } from './application/login';
import { logout } from './application/logout';
import type { AccountsDeps, PasswordHasher, ThrottleRules } from './application/ports';
import { refresh } from './application/refresh';
import { registerUser } from './application/register-user';
import { updateUser } from './application/update-user';
import { getUser, listUsers } from './application/view-users';
import { createArgon2PasswordHasher } from './adapters/crypto/argon2-password-hasher';
import { createJoseAccessTokenSigner } from './adapters/crypto/jose-access-token-signer';
import { refreshTokenCodec } from './adapters/crypto/refresh-token-codec';
import { accountsRoutes, type AccountsUseCases } from './adapters/http/accounts.routes';
import { buildRouter, openApiDocument } from '@tulity/adapters/http/routes';
import { createKnexLoginThrottle, pruneLoginFailures } from './adapters/postgres/knex-login-throttle';
import { pruneEndedSessions } from './adapters/postgres/knex-session.repository';
import { createKnexSigningKeys, type SigningKeyStore } from './adapters/postgres/knex-signing-keys';
import { createKnexUnitOfWork } from './adapters/postgres/knex-unit-of-work';

const service = 'accounts';
export const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
export const issuer = 'tulity-accounts';

export interface AccountsConfig {
  accessTokenTtlSeconds: number;
  refreshTokenTtlMs: number;
  sessionTtlMs: number;
  keyRotationMs: number;
  throttleRules: ThrottleRules;
}

const minute = 60_000;
const day = 24 * 60 * minute;
export const defaultConfig: AccountsConfig = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlMs: 7 * day,
  sessionTtlMs: 30 * day,
  keyRotationMs: 30 * day,
  throttleRules: {
    perAccount: { maxFailures: 5, windowMs: 15 * minute },
    perAddress: { maxFailures: 20, windowMs: 15 * minute },
  },
};

/** Revocations and retired keys must outlive every access token; twice the lifetime leaves room for clock skew. */
const tokenLifetimeMs = (config: AccountsConfig) => 2 * config.accessTokenTtlSeconds * 1000;

export interface Deps {
  db: Knex;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
  hasher: PasswordHasher;
  keys: SigningKeyStore;
  config?: AccountsConfig;
}

export function createSigningKeys(db: Knex, config: AccountsConfig = defaultConfig): SigningKeyStore {
  return createKnexSigningKeys(db, { rotateAfterMs: config.keyRotationMs, publishRetiredForMs: tokenLifetimeMs(config) });
}

export function buildUseCases({ db, hasher, keys, config = defaultConfig }: Deps): AccountsUseCases & { bootstrapAdmin: ReturnType<typeof bootstrapAdmin> } {
  const deps: AccountsDeps = {
    uow: createKnexUnitOfWork(db, createOutbox(catalogue), { maxTokenLifetimeMs: tokenLifetimeMs(config) }),
    hasher,
    signer: createJoseAccessTokenSigner(keys, { issuer, ttlSeconds: config.accessTokenTtlSeconds }),
    codec: refreshTokenCodec,
    throttle: createKnexLoginThrottle(db),
    throttleRules: config.throttleRules,
    clock: { now: () => new Date() },
    ids: { newId: randomUUID },
    lifetimes: { refreshTokenMs: config.refreshTokenTtlMs, sessionMs: config.sessionTtlMs },
  };
  return {
    login: login(deps),
    refresh: refresh(deps),
    logout: logout(deps),
    registerUser: registerUser(deps),
    listUsers: listUsers(deps),
    getUser: getUser(deps),
    updateUser: updateUser(deps),
    deleteUser: deleteUser(deps),
    bootstrapAdmin: bootstrapAdmin(deps),
  };
}

export function buildApp(deps: Deps) {
  const { db, kafka, logger, metrics, keys } = deps;
  // Accounts writes its own revocations in the transaction that causes them, so it need not cache "not revoked".
  const authenticator = createAuthenticator({ keySet: () => keys.publicKeys(), issuer, revocations: createRevocationCheck(db, { notRevokedCacheMs: 0 }) });
  const useCases = buildUseCases(deps);
  const logins = new Counter({ name: 'accounts_logins_total', help: 'Login attempts by outcome.', labelNames: ['outcome'] as const, registers: [metrics.registry] });
  const login: AccountsUseCases['login'] = async (command) => {
    const result = await useCases.login(command);
    logins.inc({ outcome: result.ok ? 'success' : result.failure.kind === 'throttled' ? 'throttled' : 'refused' });
    return result;
  };
  const routes = accountsRoutes({ ...useCases, login }, keys);
  const app = createHttpApp({
    service,
    logger,
    metrics,
    bodyLimit: 16 * 1024,
    openapi: openApiDocument(routes, {
      title: 'Tulity accounts',
      description: 'Users, roles and sessions. Access tokens are ES256 JWTs verified by every service with the keys at /api/v1/auth/jwks.',
    }),
    routers: [buildRouter(routes, { authenticator })],
    readiness: {
      database: () => db.raw('select 1'),
      kafka: kafkaReadiness(kafka),
    },
  });
  // Behind a proxy the client address is the last X-Forwarded-For entry, the one the proxy
  // appends; earlier entries are whatever the client sent and must not steer throttling.
  app.maxIpsCount = 1;
  return app;
}

/** The consumer role: the same revocation handlers every service runs, so accounts' table also learns from the topic. */
export async function startAccountsConsumer(deps: Pick<Deps, 'db' | 'kafka' | 'logger' | 'metrics'> & { registryUrl: string; groupId?: string; config?: AccountsConfig }) {
  return startConsumer({
    groupId: deps.groupId ?? service,
    db: deps.db,
    kafka: deps.kafka,
    registryUrl: deps.registryUrl,
    catalogue,
    handlers: revocationHandlers({ maxTokenLifetimeMs: tokenLifetimeMs(deps.config ?? defaultConfig) }),
    logger: deps.logger,
    metrics: deps.metrics,
    fromBeginning: true,
  });
}

/**
 * Starts the consumer in the background, retrying with backoff: the API must come up (and keep
 * writing to its outbox) while Kafka is down; revocations from the topic wait for it, while
 * accounts' own are written locally anyway.
 */
function keepTrying(start: () => Promise<Consumer>, logger: Logger): { stop(): Promise<void> } {
  let consumer: Consumer | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (delayMs: number) => {
    try {
      consumer = await start();
      if (stopped) await consumer.stop();
    } catch (error) {
      if (stopped) return;
      logger.warn({ err: error, retryInMs: delayMs }, 'the consumer could not start; retrying');
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, 30_000)), delayMs);
    }
  };
  void attempt(1000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await consumer?.stop();
    },
  };
}


async function main() {
  const settings = commonSettings(service, 8011);
  const roles = new Set(setting('TULITY_ROLES', 'api,relay,consumer').split(','));
  const config: AccountsConfig = { ...defaultConfig, accessTokenTtlSeconds: Number(setting('TULITY_ACCESS_TOKEN_TTL_SECONDS', '900')) };
  const logger = createLogger(service);
  const metrics = createMetrics(service);
  const db = createDatabase(settings.databaseUrl);
  await migrateLatest(db, migrations);
  const kafka = createKafka(settings.kafkaBrokers, service);
  const keys = createSigningKeys(db, config);
  await keys.rotateIfDue();
  const hasher = await createArgon2PasswordHasher();
  const deps: Deps = { db, kafka, logger, metrics, hasher, keys, config };
  const closers: Array<() => Promise<unknown>> = [];

  const configuredPassword = process.env.TULITY_ADMIN_PASSWORD;
  const password = configuredPassword || randomBytes(15).toString('base64url');
  const outcome = await buildUseCases(deps).bootstrapAdmin({ username: 'admin', password, email: 'admin@tulity.local' });
  if (outcome === 'created') {
    logger.warn(configuredPassword ? 'first admin "admin" created with TULITY_ADMIN_PASSWORD' : `first admin "admin" created with the generated password ${password}`);
  }

  if (roles.has('api')) {
    const server = await listen(buildApp(deps), settings.port);
    logger.info({ port: server.port }, 'accounts listening');
    closers.push(server.close);
    const maintenance = setInterval(() => {
      const now = new Date();
      Promise.all([
        keys.rotateIfDue(now),
        pruneRevocations(db),
        pruneLoginFailures(db, new Date(now.getTime() - day)),
        pruneEndedSessions(db, new Date(now.getTime() - day)),
      ]).catch((error: unknown) => logger.error({ err: error }, 'maintenance failed'));
    }, 10 * minute);
    maintenance.unref();
    closers.push(async () => clearInterval(maintenance));
  }
  if (roles.has('consumer')) {
    const consumer = keepTrying(() => startAccountsConsumer({ db, kafka, logger, metrics, registryUrl: settings.registryUrl, config }), logger);
    closers.push(() => consumer.stop());
  }
  if (roles.has('relay')) {
    const relay = startRelay({ service, db, kafka, registryUrl: settings.registryUrl, catalogue, logger, metrics });
    closers.push(() => relay.stop());
  }
  onShutdown(logger, [...closers, () => db.destroy()]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
