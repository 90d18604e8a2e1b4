// A consumer process paused past its session timeout (SIGSTOP, as a long GC pause or a frozen VM
// would) is thrown out of its group; when it resumes, kafkajs reports a non-retriable crash ("The
// coordinator is not aware of this member") and, left alone, never consumes again.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { assertTestDatabase, createDatabase } from '../postgres/database';
import { createKafka } from '../kafka/client';
import { avroType } from './avro';
import { encodeWire } from './wire';
import {
  EFFECTS_TABLE,
  itemPayload,
  itemRecorded,
  registerSubject,
  resetTables,
  sharedBrokers,
  sharedRegistryUrl,
  testDatabaseUrl,
  unique,
  waitFor,
} from '../testing/events';
import { spawnEventProcess, type EventProcess } from '../testing/children';

assertTestDatabase(testDatabaseUrl);
const db = createDatabase(testDatabaseUrl);
const kafka = createKafka(sharedBrokers, 'restart-test');
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
/** The child consumer's session timeout (see testing/event-process.ts), and a margin for the broker to act on it. */
const sessionTimeoutMs = 6000;
let child: EventProcess | undefined;

/** `promise`, or a failure naming `what` after `ms`: every wait is bounded, so the child is always cleaned up. */
function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('a consumer that crashes after it started', () => {
  beforeAll(async () => {
    // Other backbone tests recreate these tables; only create them when they are missing.
    if (!(await db.schema.hasTable(EFFECTS_TABLE))) await resetTables(db);
    await producer.connect();
  });
  afterAll(async () => {
    // Should the test time out mid-way, its child must not outlive it (stopped processes ignore SIGTERM).
    child?.child.kill('SIGCONT');
    child?.child.kill('SIGKILL');
    await producer.disconnect();
    await db.destroy();
  });

  test('is restarted after a pause past its session timeout and applies later events exactly once', async () => {
    const topic = unique('test.paused');
    const definition = itemRecorded(topic);
    const schemaId = await registerSubject(sharedRegistryUrl, definition.subject, definition.schema);
    const groupId = unique('g-paused');
    const sent: string[] = [];
    const produce = async (from: number, count: number) => {
      const payloads = Array.from({ length: count }, (_, i) => itemPayload('one-key', from + i));
      await producer.send({
        topic,
        acks: -1,
        messages: payloads.map((p) => ({
          key: p.aggregateId,
          value: encodeWire(schemaId, avroType(definition.schema).toBuffer(p)),
        })),
      });
      sent.push(...payloads.map((p) => p.eventId));
    };
    const applied = async () =>
      (await db(EFFECTS_TABLE).where({ group_id: groupId }).orderBy('id')).map((row) => row.event_id as string);

    child = spawnEventProcess({
      role: 'consumer',
      name: groupId,
      databaseUrl: testDatabaseUrl,
      brokers: sharedBrokers,
      registryUrl: sharedRegistryUrl,
      catalogue: { [definition.type]: definition },
      applyDelayMs: 300,
    });
    try {
      await within('the consumer to be ready', 15_000, child.reached('ready'));
      await produce(0, 10);
      // Frozen mid-batch: the first events are applied, their offsets not yet committed (each takes
      // 300 ms more). Resuming, the consumer commits as a member the group no longer knows and crashes;
      // the kafkajs fetch loop alone would re-join, but a crash inside a batch is the end of it.
      await waitFor('the first events applied', async () => (await applied()).length > 0, 10_000, 20);
      child.child.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, sessionTimeoutMs + 4000));
      child.child.kill('SIGCONT');
      // The crash was counted (the child reports consumer_restarts_total > 0).
      await within('the consumer to be restarted', 15_000, child.reached('restarted'));
      await produce(10, 5);

      await waitFor('every event applied after the resume', async () => (await applied()).length >= 15, 20_000);
      // The redelivered uncommitted events were skipped; a late redelivery would show up as a 16th row.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await applied()).toEqual(sent);
    } finally {
      child.child.kill('SIGCONT');
      await child.stop();
    }
    // Each wait above is bounded (about 20 s when all is well); the margin lets them fail first.
  }, 90_000);
});
