import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Consumer as KafkaConsumer } from 'kafkajs';
import { catalogue } from '@tulity/contracts';
import { createAuthenticator, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck, createRevocationTable } from '@tulity/adapters/auth/revocation';
import type { Consumer } from '@tulity/adapters/events/consumer';
import { createInboxTable } from '@tulity/adapters/events/tables';
import { startRelay, type Relay } from '@tulity/adapters/events/relay';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { issuer, startAccountsConsumer } from '../src/main';
import { acceptsUnlessRevoked, adminPassword, brokers, call, databaseUrl, logIn, register, registryUrl, startAccounts, type Harness, type Session } from './harness';

const topic = catalogue['tulity.accounts.UserRegistered'].topic;
const run = randomUUID().slice(0, 8);

/** Polls until `check` passes or the deadline; the deadline only bounds a failure, it asserts no speed. */
async function eventually(what: string, check: () => Promise<boolean>, deadlineMs = 30_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: not within ${deadlineMs} ms`);
}

describe('accounts events through the outbox, Kafka and the registry', () => {
  let h: Harness;
  let admin: Session;
  let relay: Relay;
  const kafka = createKafka(brokers, `accounts-events-test-${run}`);
  const decoded: Array<{ key: string | null; value: Record<string, any> }> = [];
  let reader: KafkaConsumer;

  // "Another service": its own schema, inbox and revocation table, fed only by the topic.
  const probeSchema = `revocation_probe_${run}`;
  let probeDb: Knex;
  let probeConsumer: Consumer;
  let probe: Authenticator;

  beforeAll(async () => {
    h = await startAccounts();
    admin = await logIn(h.url, 'admin', adminPassword);
    relay = startRelay({ service: 'accounts', db: h.db, kafka, registryUrl, catalogue, logger: createLogger('accounts'), metrics: createMetrics('accounts'), maxIdleMs: 50 });

    // An independent reader: plain kafkajs plus the registry client, nothing of ours.
    const registry = new SchemaRegistry({ host: registryUrl });
    reader = kafka.consumer({ groupId: `accounts-events-reader-${run}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        decoded.push({ key: message.key?.toString() ?? null, value: await registry.decode(message.value!) });
      },
    });

    await h.db.raw(`create schema ${probeSchema}`);
    probeDb = knex({ client: 'pg', connection: databaseUrl, searchPath: [probeSchema], pool: { min: 0, max: 4 } });
    await createInboxTable(probeDb);
    await createRevocationTable(probeDb);
    // The consumer role of accounts' main.ts: exactly what any service wires, pointed at the probe's tables.
    probeConsumer = await startAccountsConsumer({ groupId: `revocation-probe-${run}`, db: probeDb, kafka, registryUrl, logger: createLogger('probe'), metrics: createMetrics('probe') });
    probe = createAuthenticator({
      jwksUrl: `${h.url}/api/v1/auth/jwks`,
      issuer,
      revocations: createRevocationCheck(probeDb, { notRevokedCacheMs: 0 }),
      refetchCooldownMs: 1000,
    });
  });

  afterAll(async () => {
    await probeConsumer?.stop();
    await reader?.disconnect();
    await relay?.stop();
    await probeDb?.destroy();
    await h.db.raw(`drop schema if exists ${probeSchema} cascade`);
    await h.close();
  });

  const probeAccepts = (token: string) => acceptsUnlessRevoked(probe, token);

  test('register: UserRegistered is on accounts.user, keyed by the user id, and decodes through the registry', async () => {
    const user = await register(h.url, admin.accessToken, 'cashier');

    await eventually('UserRegistered read back', async () => decoded.some((m) => m.key === user.id && m.value.username === user.username));
    const message = decoded.find((m) => m.key === user.id)!;
    assert.equal(message.value.aggregateId, user.id);
    assert.deepEqual(message.value.roles, ['cashier']);
    assert.equal(message.value.active, true);
    assert.match(message.value.eventId, /^[0-9a-f-]{36}$/);
    assert.equal(typeof message.value.correlationId, 'string');
    const row = await h.db('event_outbox').where({ key: user.id, event_type: 'tulity.accounts.UserRegistered' }).first();
    assert.ok(row.published_at, 'the relay marked the row published');
  });

  test('logout: another service that only reads the topic refuses the token', async () => {
    const cashier = await register(h.url, admin.accessToken, 'cashier');
    const session = await logIn(h.url, cashier.username, cashier.password);
    assert.equal(await probeAccepts(session.accessToken), true);

    assert.equal((await call(h.url, 'POST', '/api/v1/auth/logout', { token: session.accessToken })).status, 204);

    await eventually('the probe refuses the logged-out token', async () => !(await probeAccepts(session.accessToken)));
    const revoked = decoded.find((m) => m.key === cashier.id && m.value.reason === 'logout');
    assert.ok(revoked, 'SessionRevoked is on the topic');
  });

  test('deletion and deactivation: another service refuses every token of the user', async () => {
    const deleted = await register(h.url, admin.accessToken, 'manager');
    const deactivated = await register(h.url, admin.accessToken, 'cashier');
    const deletedSession = await logIn(h.url, deleted.username, deleted.password);
    const deactivatedSession = await logIn(h.url, deactivated.username, deactivated.password);
    assert.equal(await probeAccepts(deletedSession.accessToken), true);
    assert.equal(await probeAccepts(deactivatedSession.accessToken), true);

    await call(h.url, 'DELETE', `/api/v1/users/${deleted.id}`, { token: admin.accessToken });
    await call(h.url, 'PATCH', `/api/v1/users/${deactivated.id}`, { token: admin.accessToken, body: { active: false } });

    await eventually('the probe refuses the deleted user\'s token', async () => !(await probeAccepts(deletedSession.accessToken)));
    await eventually('the probe refuses the deactivated user\'s token', async () => !(await probeAccepts(deactivatedSession.accessToken)));
    assert.equal(decoded.find((m) => m.key === deleted.id && m.value.mode !== undefined)?.value.mode, 'DELETED');
  });

  test('a key rotation reaches another service without a restart', async () => {
    const before = await logIn(h.url, 'admin', adminPassword);
    assert.equal(await probeAccepts(before.accessToken), true);

    // Immediately, not pre-published: the probe learns the key only by refetching on the unknown kid,
    // which its cooldown allows once a second.
    await h.keys.rotate({ immediately: true });
    const after = await logIn(h.url, 'admin', adminPassword);

    await eventually('the probe accepts a token signed with the new key', async () => {
      try {
        return await probeAccepts(after.accessToken);
      } catch {
        return false;
      }
    });
    assert.equal(await probeAccepts(before.accessToken), true);
  });
});
