/**
 * One event type as the backbone sees it. Structural on purpose: contracts/ satisfies it with plain
 * objects and never imports adapters.
 */
export interface EventDefinition {
  /** The Avro record's full name, e.g. 'tulity.products.ProductCreated'. */
  type: string;
  /** The Kafka topic, e.g. 'products.product'. */
  topic: string;
  /** `${topic}-${type}` (TopicRecordNameStrategy); registered by contracts:register. */
  subject: string;
  /** The Avro schema (a record) of the version this service writes or reads. */
  schema: object;
}

/** Event definitions by event type. */
export type EventCatalogue = Readonly<Record<string, EventDefinition>>;

/** The definition of `type`, or an error that names the type and what the catalogue knows. */
export function definitionOf(catalogue: EventCatalogue, type: string): EventDefinition {
  const definition = catalogue[type];
  if (!definition) {
    throw new Error(
      `event type "${type}" is not in the catalogue (known: ${Object.keys(catalogue).join(', ') || 'none'})`,
    );
  }
  return definition;
}
