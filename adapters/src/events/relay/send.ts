import type { Kafka, Message, Producer } from 'kafkajs';
import { avroType } from '../avro';
import { definitionOf, type EventCatalogue } from '../catalogue';
import type { SchemaRegistryClient } from '../registry';
import { encodeWire } from '../wire';
import type { OutboxRow } from './claim';
import { StageError } from './stage';

/** Encodes outbox rows as Avro in the Confluent wire format and produces them, acknowledged by every in-sync replica. */
export interface Sender {
  send(rows: OutboxRow[]): Promise<void>;
  /** Disconnects the producer; the next send connects a new one. */
  close(): Promise<void>;
}

export function createSender(kafka: Kafka, registry: SchemaRegistryClient, catalogue: EventCatalogue): Sender {
  let producer: Producer | undefined;

  async function connected(): Promise<Producer> {
    if (!producer) {
      const fresh = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
      await fresh.connect();
      producer = fresh;
    }
    return producer;
  }

  async function close(): Promise<void> {
    const old = producer;
    producer = undefined;
    // A new producer gets a new producer id: no sequence numbers left over from a failed send.
    await old?.disconnect().catch(() => {});
  }

  async function encode(rows: OutboxRow[]): Promise<Map<string, Message[]>> {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const definition = definitionOf(catalogue, row.event_type);
      let schemaId: number;
      try {
        schemaId = await registry.idOf(definition.subject, definition.schema);
      } catch (error) {
        throw new StageError('registry', error);
      }
      const value = encodeWire(schemaId, avroType(definition.schema).toBuffer(row.payload));
      const headers: Record<string, string> = { 'event-type': row.event_type, 'event-id': row.event_id };
      if (row.correlation_id) headers['correlation-id'] = row.correlation_id;
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.key, value, headers });
      byTopic.set(row.topic, messages);
    }
    return byTopic;
  }

  return {
    async send(rows) {
      const byTopic = await encode(rows);
      try {
        const sender = await connected();
        await sender.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      } catch (error) {
        await close();
        throw new StageError('kafka', error);
      }
    },
    close,
  };
}
