// Figures for the accounts service, printed, never asserted (a shared 2-core machine is noisy):
// password hashing at production cost, local token verification, an authenticated read over
// HTTP, and how long a logout takes to reach another service through Kafka.
// Run: npm run -w @tulity/accounts bench   (needs the stack: Postgres, Kafka, registry)
import { randomUUID } from 'node:crypto';
import knex from 'knex';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck, createRevocationTable, revocationHandlers } from '@tulity/adapters/auth/revocation';
import { startConsumer } from '@tulity/adapters/events/consumer';
import { startRelay } from '@tulity/adapters/events/relay';
import { createInboxTable } from '@tulity/adapters/events/tables';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { createArgon2PasswordHasher } from '../src/adapters/crypto/argon2-password-hasher';
import { issuer } from '../src/main';
import {
  acceptsUnlessRevoked,
  adminPassword,
  brokers,
  logIn,
  register,
  registryUrl,
  startAccounts,
  testDatabaseUrl,
} from './harness';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const rows: Array<[string, string]> = [];

async function timed(n: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

async function concurrently(seconds: number, workers: number, work: () => Promise<unknown>) {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await work();
        samples.push(performance.now() - started);
      }
    }),
  );
  return { rate: samples.length / seconds, sorted: samples.sort((a, b) => a - b) };
}

const production = await createArgon2PasswordHasher();
const hash = await production.hash('a fine passphrase for the bench');
const verifications = await timed(20, () => production.verify(hash, 'a fine passphrase for the bench'));
rows.push([
  'argon2id verify at production cost (19 MiB, t=2), p50 / p99',
  `${ms(quantile(verifications, 0.5))} / ${ms(quantile(verifications, 0.99))}`,
]);

const h = await startAccounts();
const run = randomUUID().slice(0, 8);
const kafka = createKafka(brokers, `accounts-bench-${run}`);
const relay = startRelay({
  service: 'accounts',
  db: h.db,
  kafka,
  registryUrl,
  catalogue,
  logger: createLogger('bench'),
  metrics: createMetrics('bench'),
  maxIdleMs: 20,
});
const schema = `bench_probe_${run}`;
await h.db.raw(`create schema ${schema}`);
const probeDb = knex({
  client: 'pg',
  connection: testDatabaseUrl('accounts'),
  searchPath: [schema],
  pool: { min: 0, max: 4 },
});
await createInboxTable(probeDb);
await createRevocationTable(probeDb);
const consumer = await startConsumer({
  groupId: `bench-probe-${run}`,
  db: probeDb,
  kafka,
  registryUrl,
  catalogue,
  handlers: revocationHandlers(),
  logger: createLogger('bench'),
  metrics: createMetrics('bench'),
  fromBeginning: false,
});
const probe = createAuthenticator({
  jwksUrl: `${h.url}/api/v1/auth/jwks`,
  issuer,
  revocations: createRevocationCheck(probeDb, { notRevokedCacheMs: 0 }),
});
const cachedProbe = createAuthenticator({
  jwksUrl: `${h.url}/api/v1/auth/jwks`,
  issuer,
  revocations: createRevocationCheck(probeDb),
});

try {
  const admin = await logIn(h, 'admin', adminPassword);
  await probe.verify(admin.accessToken);

  const local = await concurrently(3, 8, () => cachedProbe.verify(admin.accessToken));
  rows.push(['local verification (ES256 + cached revocation check), per second', local.rate.toFixed(0)]);
  const uncached = await concurrently(3, 8, () => probe.verify(admin.accessToken));
  rows.push(['local verification with a revocation lookup every time, per second', uncached.rate.toFixed(0)]);

  const reads = await concurrently(5, 16, () => h.call('GET', '/api/v1/auth/me', { token: admin.accessToken }));
  rows.push(['GET /auth/me over HTTP, 16 clients: requests/s', reads.rate.toFixed(0)]);
  rows.push(['GET /auth/me p50 / p99', `${ms(quantile(reads.sorted, 0.5))} / ${ms(quantile(reads.sorted, 0.99))}`]);

  const cashier = await register(h, admin.accessToken, 'cashier');
  const propagation: number[] = [];
  for (let i = 0; i < 30; i++) {
    const session = await logIn(h, cashier.username, cashier.password);
    await probe.verify(session.accessToken);
    const started = performance.now();
    await h.call('POST', '/api/v1/auth/logout', { token: session.accessToken });
    while (await acceptsUnlessRevoked(probe, session.accessToken))
      await new Promise((resolve) => setTimeout(resolve, 2));
    propagation.push(performance.now() - started);
  }
  propagation.sort((a, b) => a - b);
  rows.push([
    'logout → another service refuses the token (relay, Kafka, consumer), p50 / p99 / max of 30',
    `${ms(quantile(propagation, 0.5))} / ${ms(quantile(propagation, 0.99))} / ${ms(propagation.at(-1)!)}`,
  ]);

  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(
    `\naccounts figures (${new Date().toISOString()}, ${process.platform} ${process.arch}, node ${process.version})`,
  );
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
} finally {
  await consumer.stop();
  await relay.stop();
  await probeDb.destroy();
  await h.db.raw(`drop schema if exists ${schema} cascade`);
  await h.close();
}
