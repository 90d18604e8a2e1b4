import type avro from 'avsc';
import type { KafkaMessage } from 'kafkajs';
import { avroType } from '../avro';
import type { EventDefinition } from '../catalogue';
import { RegistryError, type SchemaRegistryClient } from '../registry';
import { decodeWire, WireFormatError } from '../wire';
import { DeadLetter } from './dead-letter';
import type { IncomingEvent } from './event';

/** Decodes a message into an event; null for a type the group does not handle; a DeadLetter for one that never will decode. */
export type Decode = (topic: string, partition: number, message: KafkaMessage) => Promise<IncomingEvent | null>;

interface Reader {
  type: string;
  reader: avro.Type;
  resolver: avro.Resolver;
}

/**
 * A decoder for the Confluent wire format: the writer schema is fetched by id (once per id) and
 * resolved into the group's reader schema, so any compatible version written reads as the one handled.
 */
export function createDecoder(registry: SchemaRegistryClient, readers: Map<string, EventDefinition>): Decode {
  const byWriterId = new Map<number, Reader | null>();

  /** The reader for a writer schema id; null when this group handles no event of that type. */
  async function readerFor(schemaId: number): Promise<Reader | null> {
    if (byWriterId.has(schemaId)) return byWriterId.get(schemaId)!;
    let writerSchema: object;
    try {
      writerSchema = await registry.schemaById(schemaId);
    } catch (error) {
      if (error instanceof RegistryError && !error.transient) throw new DeadLetter('unknown-schema', error.message);
      throw error;
    }
    let writer: avro.Type;
    try {
      writer = avroType(writerSchema);
    } catch (error) {
      throw new DeadLetter(
        'unknown-schema',
        `schema id ${schemaId} is not an Avro schema: ${(error as Error).message}`,
      );
    }
    const definition = writer.name ? readers.get(writer.name) : undefined;
    let entry: Reader | null = null;
    if (definition) {
      const reader = avroType(definition.schema);
      try {
        entry = { type: definition.type, reader, resolver: reader.createResolver(writer) };
      } catch (error) {
        throw new DeadLetter(
          'incompatible-schema',
          `schema id ${schemaId} cannot be read as ${definition.type}: ${(error as Error).message}`,
        );
      }
    }
    byWriterId.set(schemaId, entry);
    return entry;
  }

  return async (topic, partition, message) => {
    let wire;
    try {
      wire = decodeWire(message.value);
    } catch (error) {
      if (error instanceof WireFormatError) throw new DeadLetter('undecodable', error.message);
      throw error;
    }
    const entry = await readerFor(wire.schemaId);
    if (!entry) return null;
    let payload: Record<string, unknown>;
    try {
      payload = entry.reader.fromBuffer(wire.body, entry.resolver) as Record<string, unknown>;
    } catch (error) {
      throw new DeadLetter('undecodable', `${entry.type} body does not decode: ${(error as Error).message}`);
    }
    const eventId = payload.eventId;
    if (typeof eventId !== 'string' || eventId === '') {
      throw new DeadLetter('invalid', `${entry.type} has no eventId`);
    }
    return {
      type: entry.type,
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString() : null,
      payload,
      eventId,
    };
  };
}
