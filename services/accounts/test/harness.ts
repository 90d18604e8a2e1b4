// The accounts service in-process against the real test database: buildApp on port 0, plus the
// helpers every HTTP test needs. Kafka is only touched by the readiness check and the event tests.
import { AuthenticationError, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { listen, type RunningServer } from '@tulity/adapters/http/server';
import { assertTestDatabase, createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import { createArgon2PasswordHasher } from '../src/adapters/crypto/argon2-password-hasher';
import type { SigningKeyStore } from '../src/adapters/postgres/knex-signing-keys';
import { buildApp, buildUseCases, createSigningKeys, defaultConfig, migrations, type AccountsConfig, type Deps } from '../src/main';

export const databaseUrl = process.env.TULITY_ACCOUNTS_TEST_DATABASE_URL ?? 'postgres://tulity_accounts:tulity_accounts@127.0.0.1:5432/tulity_accounts_test';
export const brokers = (process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const registryUrl = process.env.TULITY_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
export const adminPassword = 'the first boss of the tests';

const tables = ['refresh_tokens', 'sessions', 'users', 'login_failures', 'event_outbox', 'event_inbox', 'auth_revocations', 'signing_keys'];

export interface Harness {
  db: Knex;
  deps: Deps;
  keys: SigningKeyStore;
  url: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** A clean test database, migrated, with the first admin, and the app listening. */
export async function startAccounts(config: Partial<AccountsConfig> = {}): Promise<Harness> {
  assertTestDatabase(databaseUrl);
  const db = createDatabase(databaseUrl);
  await migrateLatest(db, migrations);
  await db.raw(`truncate ${tables.join(', ')}`);
  const fullConfig = { ...defaultConfig, ...config };
  const keys = createSigningKeys(db, fullConfig);
  await keys.rotateIfDue();
  const kafka = createKafka(brokers, 'accounts-test');
  // Tests lower argon2's cost, never its algorithm: hundreds of hashes at production cost would take minutes.
  const hasher = await createArgon2PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const deps: Deps = { db, kafka, logger: createLogger('accounts'), metrics: createMetrics('accounts'), hasher, keys, config: fullConfig };
  await buildUseCases(deps).bootstrapAdmin({ username: 'admin', password: adminPassword, email: 'admin@tulity.test' });
  const server = await listen(buildApp(deps), 0);
  return {
    db,
    deps,
    keys,
    url: `http://127.0.0.1:${server.port}`,
    server,
    async close() {
      await server.close();
      await db.destroy();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** One request; `body` is sent as JSON unless `raw` gives the exact bytes. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.raw !== undefined) payload = options.raw;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

export async function logIn(baseUrl: string, username: string, password: string, clientAddress?: string): Promise<Session> {
  const answer = await call(baseUrl, 'POST', '/api/v1/auth/login', {
    body: { username, password },
    headers: clientAddress ? { 'x-forwarded-for': clientAddress } : {},
  });
  if (answer.status !== 200) throw new Error(`login of ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { accessToken: answer.body.accessToken, refreshToken: answer.body.refreshToken, userId: answer.body.user.id };
}

let counter = 0;
/** Registers a user through the API as `admin` and returns its id and password. */
export async function register(baseUrl: string, adminToken: string, role: 'admin' | 'manager' | 'cashier', username = `${role}${Date.now() % 100000}x${++counter}`) {
  const password = `a fine passphrase ${counter}`;
  const answer = await call(baseUrl, 'POST', '/api/v1/users', {
    token: adminToken,
    body: { username, email: `${username}@shop.test`, fullName: `${role} ${counter}`, role, password },
  });
  if (answer.status !== 201) throw new Error(`register ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { id: answer.body.id as string, username, password };
}

/** True while another service's authenticator accepts the token; false once it refuses it as revoked. */
export async function acceptsUnlessRevoked(authenticator: Authenticator, token: string): Promise<boolean> {
  try {
    await authenticator.verify(token);
    return true;
  } catch (error) {
    if (error instanceof AuthenticationError && error.reason === 'revoked') return false;
    throw error;
  }
}
