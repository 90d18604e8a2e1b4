import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import type avro from 'avsc';
import { avroType } from '../avro';
import { definitionOf, type EventCatalogue } from '../catalogue';
import type { SchemaRegistryClient } from '../registry';
import { encodeWire } from '../wire';
import { keyPartitioner } from '../../kafka/partitioner';
import type { OutboxRow } from './claim';
import { StageError } from './stage';

/** Outbox rows as Avro in the Confluent wire format, and their production, acknowledged by every in-sync replica. */
export interface Sender {
  /** The rows as produce requests, per topic in row order. Fails with a registry StageError when a schema id is unknown and the registry unreachable. */
  encode(rows: OutboxRow[]): Promise<TopicMessages[]>;
  /** Resolves once the broker acknowledged every message; after a failure the producer is replaced. */
  produce(topicMessages: TopicMessages[]): Promise<void>;
  /** Disconnects the producer; the next produce connects a new one. */
  close(): Promise<void>;
}

// kafkajs encodes each message as `Record({ ...message, offsetDelta, timestampDelta })`: a spread
// followed by properties the message lacks is V8's slow path (about 1 µs a record, a fifth of
// kafkajs's encoding). A message that already has both only has them overwritten.
const RECORD_FIELDS = { offsetDelta: 0, timestampDelta: 0 };

export function createSender(kafka: Kafka, registry: SchemaRegistryClient, catalogue: EventCatalogue): Sender {
  let producer: Producer | undefined;

  async function connected(): Promise<Producer> {
    if (!producer) {
      const fresh = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: keyPartitioner,
      });
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

  /** The schema id and avsc type of an event type; looked up once per batch, not per row (the registry client's cache key is the schema's JSON). */
  async function writerOf(eventType: string): Promise<{ schemaId: number; type: avro.Type }> {
    const definition = definitionOf(catalogue, eventType);
    const type = avroType(definition.schema);
    try {
      return { schemaId: await registry.idOf(definition.subject, definition.schema), type };
    } catch (error) {
      throw new StageError('registry', error);
    }
  }

  return {
    async encode(rows) {
      const writers = new Map<string, { schemaId: number; type: avro.Type }>();
      const byTopic = new Map<string, TopicMessages>();
      for (const row of rows) {
        let writer = writers.get(row.event_type);
        if (!writer) {
          writer = await writerOf(row.event_type);
          writers.set(row.event_type, writer);
        }
        const headers: Record<string, string> = { 'event-type': row.event_type, 'event-id': row.event_id };
        if (row.correlation_id) headers['correlation-id'] = row.correlation_id;
        let topic = byTopic.get(row.topic);
        if (!topic) {
          topic = { topic: row.topic, messages: [] };
          byTopic.set(row.topic, topic);
        }
        topic.messages.push(
          Object.assign(
            { key: row.key, value: encodeWire(writer.schemaId, writer.type.toBuffer(row.payload)), headers },
            RECORD_FIELDS,
          ),
        );
      }
      return [...byTopic.values()];
    },

    async produce(topicMessages) {
      try {
        const sender = await connected();
        await sender.sendBatch({ acks: -1, topicMessages });
      } catch (error) {
        await close();
        throw new StageError('kafka', error);
      }
    },

    close,
  };
}
