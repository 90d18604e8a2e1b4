// The service in-process against its test database, tokens from a stand-in issuer, events produced
// on the real topics (unique ids) with the registry's wire format, and an SSE reader.
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { catalogue } from '@tulity/contracts';
import type { Role } from '@tulity/adapters/core/actor';
import { createRevocationCheck } from '@tulity/adapters/auth/revocation';
import { createTestIssuer, type TestIssuer } from '@tulity/adapters/auth/testing';
import { avroType } from '@tulity/adapters/events/avro';
import { createRegistryClient } from '@tulity/adapters/events/registry';
import { encodeWire } from '@tulity/adapters/events/wire';
import { createKafka, type Kafka } from '@tulity/adapters/kafka/client';
import { ensureTopics } from '@tulity/adapters/kafka/topics';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import {
  brokers,
  emptyTables,
  registryUrl,
  startHttp,
  testDatabase,
  testDatabaseUrl,
  type RunningHttp,
} from '@tulity/adapters/testing/kit';
import { consumerCatalogue } from '../src/adapters/kafka/handlers';
import {
  buildApp,
  buildUseCases,
  defaultConfig,
  depsOver,
  migrations,
  startConsumerRole,
  type NotificationsConfig,
} from '../src/main';

export const logger = createLogger('notifications-test');

export interface Harness {
  db: Knex;
  http: RunningHttp;
  issuer: TestIssuer;
  metrics: Metrics;
  useCases: ReturnType<typeof buildUseCases>;
  close(): Promise<void>;
}

export async function startService(config: Partial<NotificationsConfig> = {}): Promise<Harness> {
  const db = await testDatabase('notifications', migrations);
  await emptyTables(db);
  const issuer = await createTestIssuer();
  const metrics = createMetrics('notifications');
  const built = buildApp({
    db,
    databaseUrl: testDatabaseUrl('notifications'),
    kafka: createKafka(brokers, 'notifications-test'),
    logger,
    metrics,
    authenticator: issuer.authenticator(createRevocationCheck(db, { notRevokedCacheMs: 0 })),
    config: { ...defaultConfig, heartbeatMs: 200, ...config },
  });
  await built.ready;
  const http = await startHttp(built.app);
  return {
    db,
    http,
    issuer,
    metrics,
    useCases: buildUseCases(depsOver(db)),
    async close() {
      await built.stop();
      await http.close();
      await db.destroy();
    },
  };
}

/** A user of the read model and a token for them (as accounts would have issued it). */
export interface TestUser {
  id: string;
  username: string;
  role: Role;
  sessionId: string;
  token: string;
}

export async function tokenFor(issuer: TestIssuer, role: Role, id = randomUUID()): Promise<TestUser> {
  const sessionId = randomUUID();
  return {
    id,
    username: `u-${id.slice(0, 8)}`,
    role,
    sessionId,
    token: await issuer.mint({ role, userId: id, sessionId }),
  };
}

/** Registers users straight through the use case, for tests that are not about Kafka. */
export async function seedUsers(harness: Harness, ...users: TestUser[]) {
  for (const u of users) {
    await harness.useCases.hearEvent({
      correlationId: 'seed',
      event: {
        type: 'UserRegistered',
        eventId: randomUUID(),
        occurredAt: new Date(),
        userId: u.id,
        username: u.username,
        fullName: u.username,
        role: u.role,
        active: true,
      },
    });
  }
}

export const envelope = (aggregateId: string) => ({
  eventId: randomUUID(),
  occurredAt: Date.now(),
  correlationId: randomUUID(),
  aggregateId,
});

/** Produces events on their real topics with the newest writer schema, as their owners' relays would. */
export async function eventProducer(kafka: Kafka) {
  const registry = createRegistryClient(registryUrl);
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    async send(type: keyof typeof catalogue, payload: { aggregateId: string } & Record<string, unknown>) {
      const entry = catalogue[type];
      const id = await registry.idOf(entry.subject, entry.schema);
      await producer.send({
        topic: entry.topic,
        acks: -1,
        messages: [{ key: payload.aggregateId, value: encodeWire(id, avroType(entry.schema).toBuffer(payload)) }],
      });
    },
    close: () => producer.disconnect(),
  };
}

export const consumedTopics = () => [...new Set(Object.values(consumerCatalogue()).map((entry) => entry.topic))];

/** The end of every consumed topic, per partition: where a group starts to read only what comes next. */
export async function topicEnds(kafka: Kafka) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, consumedTopics());
    return await Promise.all(
      consumedTopics().map(async (topic) => ({
        topic,
        partitions: (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high })),
      })),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Puts a (stopped) group at these positions: a new group skips the shared topics' history, a rewind redelivers. */
export async function setGroupOffsets(kafka: Kafka, groupId: string, positions: Awaited<ReturnType<typeof topicEnds>>) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const { topic, partitions } of positions) await admin.setOffsets({ groupId, topic, partitions });
  } finally {
    await admin.disconnect();
  }
}

/** Whether the group has committed at least these positions (everything before them is applied). */
export async function groupReached(kafka: Kafka, groupId: string, positions: Awaited<ReturnType<typeof topicEnds>>) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: positions.map((p) => p.topic) });
    return positions.every(({ topic, partitions }) =>
      partitions.every(
        ({ partition, offset }) =>
          Number(
            committed.find((c) => c.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? -1,
          ) >= Number(offset),
      ),
    );
  } finally {
    await admin.disconnect();
  }
}

export async function startTestConsumer(
  harness: Pick<Harness, 'db'>,
  kafka: Kafka,
  groupId: string,
  metrics = createMetrics('notifications'),
) {
  return startConsumerRole({ db: harness.db, kafka, logger, metrics, registryUrl, groupId });
}

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** An EventSource as far as tests need one: events as they arrive, the response's headers, its end. */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const received: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const notify = () => {
    for (const wake of waiters) wake();
  };
  const reading = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) event.comment = line.slice(1).trim();
            else {
              const at = line.indexOf(':');
              const field = line.slice(0, at) as keyof SseEvent;
              if (['id', 'event', 'data'].includes(field)) event[field] = line.slice(at + 1).trimStart();
            }
          }
          received.push(event);
          notify();
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true;
      notify();
    }
  })();
  /** The notifications received, each with its SSE id as `sseId`. */
  const notifications = () =>
    received.filter((e) => e.event === 'notification').map((e) => ({ ...JSON.parse(e.data!), sseId: Number(e.id) }));
  return {
    response,
    received,
    notifications,
    ended: () => ended,
    /** Resolves when `check` holds, failing after `timeoutMs` (a deadline, not a measurement). */
    async until(what: string, check: () => boolean, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`stream: timed out waiting for ${what}; received ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiters.clear();
      }
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

export async function ticket(harness: Harness, user: TestUser): Promise<string> {
  const answer = await harness.http.call('POST', '/api/v1/notifications/stream-tickets', { token: user.token });
  if (answer.status !== 201) throw new Error(`ticket: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.ticket;
}

/**
 * Asks for a stream and answers its status and, for a refusal, the problem's code; a stream that
 * opens is closed at once, so a wrongly opened one fails the test instead of hanging it.
 */
export async function streamAnswer(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code?: string }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status === 200) {
    controller.abort();
    return { status: 200 };
  }
  return { status: response.status, code: ((await response.json()) as { code: string }).code };
}

export const streamUrl = (harness: Harness, t: string) => `${harness.http.url}/api/v1/notifications/stream?ticket=${t}`;
