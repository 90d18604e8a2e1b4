// The real parts answer: a broker that any Kafka client can use with a consumer group, and a
// Confluent-compatible registry that encodes, decodes and refuses an incompatible change.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

const brokers = (process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registryUrl = process.env.TULITY_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const run = randomUUID().slice(0, 8);

const orderV1 = {
  type: 'record',
  name: 'SmokeOrder',
  namespace: 'tulity.smoke',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'long' },
  ],
};

describe('local stack smoke', () => {
  const kafka = new Kafka({ brokers, clientId: `smoke-${run}`, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const registry = new SchemaRegistry({ host: registryUrl });

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  test('a consumer group reads back what an idempotent producer wrote', async () => {
    const topic = `smoke.kafka.${run}`;
    const sent = Array.from({ length: 20 }, (_, i) => `message-${i}`);
    await producer.send({ topic, acks: -1, messages: sent.map((value, i) => ({ key: `k${i % 3}`, value })) });

    const consumer = kafka.consumer({ groupId: `smoke-group-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${sent.length} arrived`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value!.toString());
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect([...received].sort()).toEqual([...sent].sort());
  });

  test('the registry encodes and decodes Avro in the Confluent wire format', async () => {
    const subject = `smoke.avro.${run}-tulity.smoke.SmokeOrder`;
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(orderV1) }, { subject });
    const encoded = await registry.encode(id, { id: 'order-1', total: 1250 });

    // Magic byte.
    expect(encoded[0]).toBe(0);
    // Schema id after the magic byte.
    expect(encoded.readInt32BE(1)).toBe(id);
    expect({ ...(await registry.decode(encoded)) }).toEqual({ id: 'order-1', total: 1250 });
  });

  test('the registry refuses a change that breaks its compatibility rule', async () => {
    const subject = `smoke.compat.${run}-tulity.smoke.SmokeOrder`;
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(orderV1) }, { subject });
    // A new required field without a default: new readers could not read old records.
    const breaking = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string' }] };

    const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(breaking), schemaType: 'AVRO' }),
    });

    expect({ status: response.status, body: await response.text() }).toMatchObject({ status: 409 });
    const versions = (await (
      await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`)
    ).json()) as number[];
    expect(versions).toEqual([1]);
  });
});
