import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
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
import { defaultConfig, issuer, startConsumerRole } from '../src/main';
import {
  acceptsUnlessRevoked,
  adminPassword,
  brokers,
  logIn,
  register,
  registryUrl,
  startAccounts,
  testDatabaseUrl,
  type Harness,
  type Session,
} from './harness';

const topic = catalogue['tulity.accounts.UserRegistered'].topic;
const run = randomUUID().slice(0, 8);

/** Polls until `check` passes or the deadline; the deadline only bounds a failure, it asserts no speed. */
async function eventually(what: string, check: () => Promise<boolean>, deadlineMs = 30_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${deadlineMs} ms`);
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
    admin = await logIn(h, 'admin', adminPassword);
    relay = startRelay({
      service: 'accounts',
      db: h.db,
      kafka,
      registryUrl,
      catalogue,
      logger: createLogger('accounts'),
      metrics: createMetrics('accounts'),
      maxIdleMs: 50,
    });

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
    probeDb = knex({
      client: 'pg',
      connection: testDatabaseUrl('accounts'),
      searchPath: [probeSchema],
      pool: { min: 0, max: 4 },
    });
    await createInboxTable(probeDb);
    await createRevocationTable(probeDb);
    // The consumer role of accounts' main.ts: exactly what any service wires, pointed at the probe's tables.
    probeConsumer = await startConsumerRole({
      groupId: `revocation-probe-${run}`,
      db: probeDb,
      kafka,
      registryUrl,
      logger: createLogger('probe'),
      metrics: createMetrics('probe'),
      config: defaultConfig,
    });
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
    const user = await register(h, admin.accessToken, 'cashier');

    await eventually('UserRegistered read back', async () =>
      decoded.some((m) => m.key === user.id && m.value.username === user.username),
    );
    const message = decoded.find((m) => m.key === user.id)!;
    expect(message.value).toMatchObject({
      aggregateId: user.id,
      roles: ['cashier'],
      active: true,
      correlationId: expect.any(String),
    });
    expect(message.value.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const row = await h
      .db('event_outbox')
      .where({ key: user.id, event_type: 'tulity.accounts.UserRegistered' })
      .first();
    // The relay marked the row published.
    expect(row.published_at).toBeInstanceOf(Date);
  });

  test('logout: another service that only reads the topic refuses the token', async () => {
    const cashier = await register(h, admin.accessToken, 'cashier');
    const session = await logIn(h, cashier.username, cashier.password);
    expect(await probeAccepts(session.accessToken)).toBe(true);

    expect((await h.call('POST', '/api/v1/auth/logout', { token: session.accessToken })).status).toBe(204);

    await eventually('the probe refuses the logged-out token', async () => !(await probeAccepts(session.accessToken)));
    // SessionRevoked is on the topic.
    expect(decoded.find((m) => m.key === cashier.id && m.value.reason === 'logout')).toBeDefined();
  });

  test('deletion and deactivation: another service refuses every token of the user', async () => {
    const deleted = await register(h, admin.accessToken, 'manager');
    const deactivated = await register(h, admin.accessToken, 'cashier');
    const deletedSession = await logIn(h, deleted.username, deleted.password);
    const deactivatedSession = await logIn(h, deactivated.username, deactivated.password);
    expect(await probeAccepts(deletedSession.accessToken)).toBe(true);
    expect(await probeAccepts(deactivatedSession.accessToken)).toBe(true);

    await h.call('DELETE', `/api/v1/users/${deleted.id}`, { token: admin.accessToken });
    await h.call('PATCH', `/api/v1/users/${deactivated.id}`, { token: admin.accessToken, body: { active: false } });

    await eventually(
      "the probe refuses the deleted user's token",
      async () => !(await probeAccepts(deletedSession.accessToken)),
    );
    await eventually(
      "the probe refuses the deactivated user's token",
      async () => !(await probeAccepts(deactivatedSession.accessToken)),
    );
    expect(decoded.find((m) => m.key === deleted.id && m.value.mode !== undefined)?.value.mode).toBe('DELETED');
  });

  test('a key rotation reaches another service without a restart', async () => {
    const before = await logIn(h, 'admin', adminPassword);
    expect(await probeAccepts(before.accessToken)).toBe(true);

    // Immediately, not pre-published: the probe learns the key only by refetching on the unknown kid,
    // which its cooldown allows once a second.
    await h.keys.rotate({ immediately: true });
    const after = await logIn(h, 'admin', adminPassword);

    await eventually('the probe accepts a token signed with the new key', async () => {
      try {
        return await probeAccepts(after.accessToken);
      } catch {
        return false;
      }
    });
    expect(await probeAccepts(before.accessToken)).toBe(true);
  });
});
