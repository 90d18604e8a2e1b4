// The evolution proof: events written with v1 and v2 of PurchaseRecorded go through the real
// broker in the Confluent wire format; a consumer still on v1 and one already on v2 both read
// all of them, each through its own reader schema resolved against the writer schema the
// registry returns for the id in the message.
import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { SchemaRegistry, SchemaType, type DecodeOptions } from '@kafkajs/confluent-schema-registry';
import { catalogue } from '../src/catalogue';
import type { PurchaseRecorded } from '../src/generated/types';
import { defaultRegistryUrl, deleteSubject, registerSubject } from '../src/registry';

const registryUrl = process.env.TULITY_REGISTRY_URL || defaultRegistryUrl;
const brokers = (process.env.TULITY_KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const run = randomUUID().slice(0, 8);
const topic = `contracts-test.evolution.${run}`;
const entry = catalogue['tulity.transactions.PurchaseRecorded'];
const subject = `${topic}-${entry.type}`;
const [v1Schema, v2Schema] = entry.history;

const kafka = new Kafka({ brokers, clientId: `contracts-evolution-${run}`, logLevel: logLevel.NOTHING });
const registry = new SchemaRegistry({ host: registryUrl });
let admin: Admin;
let producer: Producer;

type PurchaseV1 = Omit<PurchaseRecorded, 'supplierInvoiceNumber'>;

function purchase(n: number): PurchaseV1 {
  return {
    eventId: randomUUID(),
    occurredAt: Date.UTC(2026, 10, 28, 12, n),
    correlationId: `corr-${run}-${n}`,
    aggregateId: `purchase-${run}-${n}`,
    recordedBy: 'user-1',
    supplierName: 'Acme Wholesale',
    currency: 'EUR',
    totalMinor: 1_200 * n,
    lines: [
      {
        productId: 'p-1',
        unitLevelId: 'box',
        quantity: n,
        conversionFactor: 12,
        baseQuantity: 12 * n,
        unitCostMinor: 1_200,
        lineTotalMinor: 1_200 * n,
      },
    ],
  };
}

async function publish(schemaId: number, events: object[]): Promise<void> {
  const messages = await Promise.all(
    events.map(async (event) => ({
      key: (event as PurchaseV1).aggregateId,
      value: await registry.encode(schemaId, event),
    })),
  );
  await producer.send({ topic, acks: -1, messages });
}

interface Received {
  schemaId: number;
  value: Record<string, unknown>;
}

/** Reads `count` messages from the start of the topic in a fresh group, decoding with `readerSchema`. */
async function consume(name: string, readerSchema: object, count: number): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId: `contracts-evolution-${run}-${name}` });
  const received: Received[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      // A guard so a broken broker fails the test instead of hanging the runner; not a timing assertion.
      const guard = setTimeout(
        () => reject(new Error(`${name}: ${received.length} of ${count} messages after 60 s`)),
        60_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const options = { [SchemaType.AVRO]: { readerSchema } } as DecodeOptions;
            const decoded = await registry.decode(message.value!, options);
            // avsc decodes into class instances; keep the plain data.
            received.push({ schemaId: message.value!.readUInt32BE(1), value: JSON.parse(JSON.stringify(decoded)) });
            if (received.length === count) {
              clearTimeout(guard);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect();
  await deleteSubject(registryUrl, subject);
});

describe('schema evolution through Kafka and the registry', () => {
  test('a v1 consumer reads v2 events and a v2 consumer reads v1 events with the default applied', async () => {
    const oldEvents = [purchase(1), purchase(2)];
    const newEvents: PurchaseRecorded[] = [
      { ...purchase(3), supplierInvoiceNumber: 'INV-2026-0042' },
      { ...purchase(4), supplierInvoiceNumber: null },
    ];

    const before = await registerSubject(registryUrl, {
      subject,
      compatibility: entry.compatibility,
      history: [v1Schema!],
    });
    await publish(before.ids[0]!, oldEvents);
    const evolved = await registerSubject(registryUrl, {
      subject,
      compatibility: entry.compatibility,
      history: [v1Schema!, v2Schema!],
    });
    await publish(evolved.ids[1]!, newEvents);

    const [onV1, onV2] = await Promise.all([consume('v1', v1Schema!, 4), consume('v2', v2Schema!, 4)]);

    expect(evolved.added).toBe(1);
    expect(before.ids[0]).not.toBe(evolved.ids[1]);
    expect(onV1.map((m) => m.schemaId)).toEqual([before.ids[0], before.ids[0], evolved.ids[1], evolved.ids[1]]);
    // The v1 consumer sees every event, the v2 ones without the field it does not know.
    expect(onV1.map((m) => m.value)).toEqual([
      ...oldEvents,
      ...newEvents.map(({ supplierInvoiceNumber: _, ...rest }) => rest),
    ]);
    for (const message of onV1) expect('supplierInvoiceNumber' in message.value).toBe(false);
    // The v2 consumer gets the default (null) for events written before the field existed.
    expect(onV2.map((m) => m.value)).toEqual([
      ...oldEvents.map((event) => ({ ...event, supplierInvoiceNumber: null })),
      ...newEvents,
    ]);
  });
});
