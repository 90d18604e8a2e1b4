// Composition root of the accounts service: settings → adapters → use cases → roles.
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Counter } from 'prom-client';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck, pruneRevocations, revocationHandlers } from '@tulity/adapters/auth/revocation';
import { setting } from '@tulity/adapters/config';
import { isFailure } from '@tulity/adapters/core/failure';
import { startConsumer } from '@tulity/adapters/events/consumer';
import { createOutbox } from '@tulity/adapters/events/outbox';
import { createHttpApp } from '@tulity/adapters/http/app';
import { openApiDocument } from '@tulity/adapters/http/openapi';
import { buildRouter } from '@tulity/adapters/http/routes';
import { kafkaReadiness, type Kafka } from '@tulity/adapters/kafka/client';
import type { Logger } from '@tulity/adapters/logger';
import type { Metrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import { runService, type Stoppable } from '@tulity/adapters/service/run';
import { bootstrapAdmin } from './application/bootstrap-admin';
import { deleteUser } from './application/delete-user';
import { getUser } from './application/get-user';
import { listUsers } from './application/list-users';
import { login } from './application/login';
import { logout } from './application/logout';
import type { AccountsDeps, PasswordHasher, ThrottleRules } from './application/ports';
import { refresh } from './application/refresh';
import { registerUser } from './application/register-user';
import { updateUser } from './application/update-user';
import { createArgon2PasswordHasher } from './adapters/crypto/argon2-password-hasher';
import { createAccessTokenSigner } from './adapters/crypto/access-token-signer';
import { refreshTokenCodec } from './adapters/crypto/refresh-token-codec';
import { proxyTrust, type ProxyTrust } from './adapters/http/client-address';
import { accountsApi } from './adapters/http/openapi';
import { accountsRoutes, type AccountsUseCases } from './adapters/http/routes';
import { createLoginThrottle, pruneLoginAttempts } from './adapters/postgres/login-throttle';
import { pruneEndedSessions } from './adapters/postgres/session.repository';
import { createSigningKeys, type SigningKeyStore } from './adapters/postgres/signing-keys';
import { createUnitOfWork } from './adapters/postgres/unit-of-work';

const service = 'accounts';
export const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
export const issuer = 'tulity-accounts';

export interface AccountsConfig {
  accessTokenTtlSeconds: number;
  refreshTokenTtlMs: number;
  sessionTtlMs: number;
  keyRotationMs: number;
  throttleRules: ThrottleRules;
  /** Addresses whose X-Forwarded-For is believed (the web proxy's). */
  trustedProxies: ProxyTrust;
}

const minute = 60_000;
const day = 24 * 60 * minute;
// Why these numbers: services/accounts/README.md, "throttling".
export const defaultConfig: AccountsConfig = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlMs: 7 * day,
  sessionTtlMs: 30 * day,
  keyRotationMs: 30 * day,
  throttleRules: {
    perPair: { maxAttempts: 5, windowMs: 15 * minute, delayMs: 1000 },
    perAccount: { maxAttempts: 100, windowMs: 60 * minute },
    perAddress: { maxAttempts: 20, windowMs: 15 * minute },
  },
  trustedProxies: proxyTrust('127.0.0.1,::1'),
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
  config: AccountsConfig;
}

export function signingKeys(db: Knex, config: AccountsConfig): SigningKeyStore {
  return createSigningKeys(db, { rotateAfterMs: config.keyRotationMs, publishRetiredForMs: tokenLifetimeMs(config) });
}

/** `revocations`: the API's check, whose cached answers a revocation committed here ends at once. */
export function buildUseCases({ db, hasher, keys, config }: Deps, revocations?: { forget(): void }) {
  const deps: AccountsDeps = {
    uow: createUnitOfWork(db, createOutbox(catalogue), {
      maxTokenLifetimeMs: tokenLifetimeMs(config),
      revoked: () => revocations?.forget(),
    }),
    hasher,
    signer: createAccessTokenSigner(keys, { issuer, ttlSeconds: config.accessTokenTtlSeconds }),
    codec: refreshTokenCodec,
    throttle: createLoginThrottle(db),
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
  const { db, kafka, logger, metrics, keys, config } = deps;
  // "Not revoked" is cached for a second, as in every service, and forgotten when this process
  // commits a revocation, so a logout here refuses its token here at once; another replica of
  // accounts sees it within the second.
  const revocations = createRevocationCheck(db);
  const authenticator = createAuthenticator({
    keySet: () => keys.publicKeys(),
    issuer,
    revocations,
    maxTokenLifetimeSeconds: tokenLifetimeMs(config) / 1000,
  });
  const useCases = buildUseCases(deps, revocations);
  const logins = new Counter({
    name: 'accounts_logins_total',
    help: 'Login attempts by outcome.',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  const countedLogin: AccountsUseCases['login'] = async (command) => {
    try {
      const result = await useCases.login(command);
      logins.inc({ outcome: 'success' });
      return result;
    } catch (error) {
      logins.inc({ outcome: !isFailure(error) ? 'error' : error.kind === 'throttled' ? 'throttled' : 'refused' });
      throw error;
    }
  };
  const routes = accountsRoutes({ ...useCases, login: countedLogin }, { keys, trustedProxies: config.trustedProxies });
  return createHttpApp({
    service,
    logger,
    metrics,
    bodyLimit: 16 * 1024,
    openapi: openApiDocument(routes, accountsApi),
    routers: [buildRouter(routes, { authenticator })],
    readiness: {
      database: () => db.raw('select 1'),
      kafka: kafkaReadiness(kafka),
    },
  });
}

/** The consumer role: the same revocation handlers every service runs, so accounts' table also learns from the topic. */
export function startConsumerRole(
  deps: Pick<Deps, 'db' | 'kafka' | 'logger' | 'metrics' | 'config'> & { registryUrl: string; groupId?: string },
) {
  return startConsumer({
    groupId: deps.groupId ?? service,
    db: deps.db,
    kafka: deps.kafka,
    registryUrl: deps.registryUrl,
    catalogue,
    handlers: revocationHandlers({ maxTokenLifetimeMs: tokenLifetimeMs(deps.config) }),
    logger: deps.logger,
    metrics: deps.metrics,
    fromBeginning: true,
  });
}

/** Every 10 minutes beside the api: key rotation when due, and pruning of what can match nothing any more. */
function startMaintenance({ db, keys, logger }: Deps): Stoppable {
  const timer = setInterval(() => {
    const dayAgo = new Date(Date.now() - day);
    Promise.all([
      keys.rotateIfDue(),
      pruneRevocations(db),
      pruneLoginAttempts(db, dayAgo),
      pruneEndedSessions(db, dayAgo),
    ]).catch((error: unknown) => logger.error({ err: error }, 'maintenance failed'));
  }, 10 * minute);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}

/** The first admin, so someone can log in at all: TULITY_ADMIN_PASSWORD, or a generated password that is logged once. */
async function ensureFirstAdmin(deps: Deps) {
  const configured = process.env.TULITY_ADMIN_PASSWORD;
  const password = configured || randomBytes(15).toString('base64url');
  const outcome = await buildUseCases(deps).bootstrapAdmin({
    username: 'admin',
    password,
    email: 'admin@tulity.local',
  });
  if (outcome === 'created') {
    deps.logger.warn(
      configured
        ? 'first admin "admin" created with TULITY_ADMIN_PASSWORD'
        : `first admin "admin" created with the generated password ${password}`,
    );
  }
}

async function main() {
  const config: AccountsConfig = {
    ...defaultConfig,
    accessTokenTtlSeconds: Number(setting('TULITY_ACCESS_TOKEN_TTL_SECONDS', '900')),
    trustedProxies: proxyTrust(
      setting('TULITY_TRUSTED_PROXIES', '127.0.0.1,::1'),
      Number(setting('TULITY_TRUSTED_PROXY_HOPS', '1')),
    ),
  };
  let deps: Deps | undefined;
  const depsOf = () => {
    if (!deps) throw new Error('accounts: prepare() builds the dependencies before any role starts');
    return deps;
  };
  await runService({
    service,
    defaultPort: 8011,
    migrations,
    async prepare({ db, kafka, logger, metrics }) {
      deps = {
        db,
        kafka,
        logger,
        metrics,
        hasher: await createArgon2PasswordHasher(),
        keys: signingKeys(db, config),
        config,
      };
      await deps.keys.rotateIfDue();
      await ensureFirstAdmin(deps);
    },
    api: () => buildApp(depsOf()),
    consumer: (runtime) => startConsumerRole({ ...runtime, config }),
    background: { api: () => startMaintenance(depsOf()) },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
