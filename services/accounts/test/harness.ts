// The accounts service in-process against its test database (built on the shared test kit):
// buildApp on a free port, and the helpers every HTTP test needs.
import http from 'node:http';
import { AuthenticationError, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import {
  brokers,
  emptyTables,
  startHttp,
  testDatabase,
  type Answer,
  type CallOptions,
  type RunningHttp,
} from '@tulity/adapters/testing/kit';
import { createArgon2PasswordHasher } from '../src/adapters/crypto/argon2-password-hasher';
import type { SigningKeyStore } from '../src/adapters/postgres/signing-keys';
import type { PasswordHasher } from '../src/application/ports';
import {
  buildApp,
  buildUseCases,
  defaultConfig,
  migrations,
  signingKeys,
  type AccountsConfig,
  type Deps,
} from '../src/main';

export { brokers, registryUrl, testDatabaseUrl } from '@tulity/adapters/testing/kit';
export const adminPassword = 'the first boss of the tests';

export interface Harness extends RunningHttp {
  db: Knex;
  deps: Deps;
  keys: SigningKeyStore;
  /** How many passwords were verified (each login attempt that got past the throttle verifies one). */
  verifications(): number;
}

/** A clean test database, migrated, with the first admin, and the app listening on loopback. */
export async function startAccounts(config: Partial<AccountsConfig> = {}): Promise<Harness> {
  const db = await testDatabase('accounts', migrations);
  await emptyTables(db);
  const fullConfig = { ...defaultConfig, ...config };
  const keys = signingKeys(db, fullConfig);
  await keys.rotateIfDue();
  // Tests lower argon2's cost, never its algorithm: hundreds of hashes at production cost would take minutes.
  const argon2 = await createArgon2PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  let verified = 0;
  const hasher: PasswordHasher = { ...argon2, verify: (hash, password) => (verified++, argon2.verify(hash, password)) };
  const deps: Deps = {
    db,
    kafka: createKafka(brokers, 'accounts-test'),
    logger: createLogger('accounts'),
    metrics: createMetrics('accounts'),
    hasher,
    keys,
    config: fullConfig,
  };
  await buildUseCases(deps).bootstrapAdmin({ username: 'admin', password: adminPassword, email: 'admin@tulity.test' });
  const running = await startHttp(buildApp(deps));
  return {
    ...running,
    db,
    deps,
    keys,
    verifications: () => verified,
    async close() {
      await running.close();
      await db.destroy();
    },
  };
}

/**
 * One request whose socket is bound to `localAddress` (127.0.0.2, 127.0.0.3… are all this
 * machine): a client the app sees at that address, not at 127.0.0.1.
 */
export function callFrom(
  localAddress: string,
  url: string,
  method: string,
  path: string,
  { body, headers = {} }: CallOptions = {},
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}${path}`,
      {
        method,
        localAddress,
        headers: {
          ...headers,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') responseHeaders.set(name, value);
          resolve({
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            body: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

/** Logs in (as a client behind the loopback proxy at `clientAddress`, when given) or throws. */
export async function logIn(h: Harness, username: string, password: string, clientAddress?: string): Promise<Session> {
  const answer = await h.call('POST', '/api/v1/auth/login', {
    body: { username, password },
    headers: clientAddress ? { 'x-forwarded-for': clientAddress } : {},
  });
  if (answer.status !== 200)
    throw new Error(`login of ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { accessToken: answer.body.accessToken, refreshToken: answer.body.refreshToken, userId: answer.body.user.id };
}

let counter = 0;
/** Registers a user through the API as `admin` and returns its id and password. */
export async function register(
  h: Harness,
  adminToken: string,
  role: 'admin' | 'manager' | 'cashier',
  username = `${role}${Date.now() % 100000}x${++counter}`,
) {
  const password = `a fine passphrase ${counter}`;
  const answer = await h.call('POST', '/api/v1/users', {
    token: adminToken,
    body: { username, email: `${username}@shop.test`, fullName: `${role} ${counter}`, role, password },
  });
  if (answer.status !== 201)
    throw new Error(`register ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
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
