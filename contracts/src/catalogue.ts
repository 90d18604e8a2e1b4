// Which service produces each event, on which topic and subject, who reads it with which
// version of its schema, and under which compatibility level the subject evolves. The schemas
// themselves live in contracts/schemas; this file adds what Avro cannot say.
import { schemaHistories } from './generated/schemas';
import type { EventType, EventVersions } from './generated/types';

export type Service = 'accounts' | 'products' | 'transactions' | 'notifications';

export type CompatibilityLevel =
  'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

export interface Consumer {
  readonly service: Service;
  /** Version of the event's schema the consumer decodes with (its reader schema). */
  readonly readerVersion: number;
}

export interface EventEntry<T extends EventType = EventType> {
  /** The Avro record's full name. */
  readonly type: T;
  readonly topic: string;
  /** `${topic}-${type}` (TopicRecordNameStrategy): several event types share an aggregate's topic. */
  readonly subject: string;
  /** Payload field used as the Kafka message key; always the aggregate id, so one aggregate stays in order. */
  readonly key: 'aggregateId';
  /** What the key identifies, e.g. "sale id". */
  readonly keyDescribes: string;
  readonly producer: Service;
  readonly consumers: readonly Consumer[];
  readonly compatibility: CompatibilityLevel;
  /** Newest version: the one producers write. */
  readonly version: number;
  /** Writer schema of the newest version. */
  readonly schema: object;
  /** Every kept version, version 1 first. */
  readonly history: readonly object[];
}

interface TopicDeclaration {
  producer: Service;
  keyDescribes: string;
  compatibility: CompatibilityLevel;
}

/**
 * One topic per aggregate. The saga's topics are FULL_TRANSITIVE: products and transactions
 * deploy on their own, so an old consumer must read a new producer's events as well as the
 * other way round. The others only promise that consumers upgraded first read every old event.
 */
export const topics = {
  'accounts.user': { producer: 'accounts', keyDescribes: 'user id', compatibility: 'BACKWARD_TRANSITIVE' },
  'products.product': { producer: 'products', keyDescribes: 'product id', compatibility: 'BACKWARD_TRANSITIVE' },
  'products.stock': { producer: 'products', keyDescribes: 'product id', compatibility: 'BACKWARD_TRANSITIVE' },
  'products.reservation': { producer: 'products', keyDescribes: 'sale id', compatibility: 'FULL_TRANSITIVE' },
  'transactions.sale': { producer: 'transactions', keyDescribes: 'sale id', compatibility: 'FULL_TRANSITIVE' },
  'transactions.purchase': {
    producer: 'transactions',
    keyDescribes: 'purchase id',
    compatibility: 'BACKWARD_TRANSITIVE',
  },
} as const satisfies Record<string, TopicDeclaration>;

export type Topic = keyof typeof topics;

interface EventDeclaration {
  topic: Topic;
  /** Reader schema version per consuming service. */
  consumers: Partial<Record<Service, number>>;
  /** Overrides the topic's level for this subject. */
  compatibility?: CompatibilityLevel;
}

const declarations = {
  'tulity.accounts.UserRegistered': { topic: 'accounts.user', consumers: { notifications: 1 } },
  'tulity.accounts.UserUpdated': {
    topic: 'accounts.user',
    consumers: { notifications: 1, products: 1, transactions: 1 },
  },
  'tulity.accounts.UserDeleted': {
    topic: 'accounts.user',
    consumers: { notifications: 1, products: 1, transactions: 1 },
  },
  'tulity.accounts.SessionRevoked': {
    topic: 'accounts.user',
    consumers: { notifications: 1, products: 1, transactions: 1 },
  },
  'tulity.products.ProductCreated': { topic: 'products.product', consumers: { transactions: 1, notifications: 1 } },
  'tulity.products.ProductUpdated': { topic: 'products.product', consumers: { transactions: 1 } },
  'tulity.products.ProductDeleted': { topic: 'products.product', consumers: { transactions: 1, notifications: 1 } },
  // transactions keeps buy prices in its read model: they arrived in v2.
  'tulity.products.PriceChanged': { topic: 'products.product', consumers: { transactions: 2, notifications: 1 } },
  'tulity.products.StockChanged': { topic: 'products.stock', consumers: { transactions: 1 } },
  'tulity.products.LowStock': { topic: 'products.stock', consumers: { notifications: 1 } },
  'tulity.products.StockReserved': { topic: 'products.reservation', consumers: { transactions: 1 } },
  'tulity.products.StockReservationRejected': { topic: 'products.reservation', consumers: { transactions: 1 } },
  'tulity.transactions.SaleRequested': { topic: 'transactions.sale', consumers: { products: 1 } },
  'tulity.transactions.SaleConfirmed': { topic: 'transactions.sale', consumers: { products: 1, notifications: 1 } },
  'tulity.transactions.SaleRejected': { topic: 'transactions.sale', consumers: { products: 1, notifications: 1 } },
  'tulity.transactions.SaleCancelled': { topic: 'transactions.sale', consumers: { products: 1, notifications: 1 } },
  'tulity.transactions.SaleReturned': { topic: 'transactions.sale', consumers: { products: 1, notifications: 1 } },
  // products has no use for the supplier's invoice number that v2 added, so it keeps reading v1.
  'tulity.transactions.PurchaseRecorded': {
    topic: 'transactions.purchase',
    consumers: { products: 1, notifications: 2 },
  },
} as const satisfies Record<EventType, EventDeclaration>;

type Declarations = typeof declarations;

/**
 * The payload type a service decodes an event into: the generated type of the version it
 * declared as its reader, e.g. `ReaderPayload<'tulity.transactions.PurchaseRecorded', 'products'>`
 * is `PurchaseRecordedV1`.
 */
export type ReaderPayload<
  T extends EventType,
  S extends keyof Declarations[T]['consumers'] & Service,
> = EventVersions[T][Declarations[T]['consumers'][S] & keyof EventVersions[T]];

function entryOf<T extends EventType>(type: T): EventEntry<T> {
  const declaration: EventDeclaration = declarations[type];
  const topic = topics[declaration.topic];
  const history = schemaHistories[type].versions;
  return {
    type,
    topic: declaration.topic,
    subject: `${declaration.topic}-${type}`,
    key: 'aggregateId',
    keyDescribes: topic.keyDescribes,
    producer: topic.producer,
    consumers: Object.entries(declaration.consumers).map(([service, readerVersion]) => ({
      service: service as Service,
      readerVersion,
    })),
    compatibility: declaration.compatibility ?? topic.compatibility,
    version: history.length,
    schema: history.at(-1)!,
    history,
  };
}

export type Catalogue = { readonly [T in EventType]: EventEntry<T> };

/** Every event, keyed by type. */
export const catalogue = Object.fromEntries(
  (Object.keys(declarations) as EventType[]).map((type) => [type, entryOf(type)]),
) as unknown as Catalogue;

export const entries: readonly EventEntry[] = Object.values(catalogue);

/** The events a service publishes. */
export function eventsOf(service: Service): EventEntry[] {
  return entries.filter((entry) => entry.producer === service);
}

/** The events a service consumes. */
export function consumedBy(service: Service): EventEntry[] {
  return entries.filter((entry) => entry.consumers.some((consumer) => consumer.service === service));
}

/** The schema a consumer decodes an event with; throws when the catalogue does not declare it as a reader. */
export function readerSchema(type: EventType, service: Service): object {
  const entry = catalogue[type];
  const consumer = entry.consumers.find((c) => c.service === service);
  if (!consumer)
    throw new Error(`${service} is not a declared consumer of ${type}: add it to contracts/src/catalogue.ts`);
  const schema = entry.history[consumer.readerVersion - 1];
  if (!schema)
    throw new Error(`${service} reads ${type} v${consumer.readerVersion}, which contracts/schemas does not keep`);
  return schema;
}

/**
 * The events a service consumes, each with the schema that service reads them with, in the
 * shape the event backbone takes.
 */
export function readerCatalogue(service: Service): Readonly<Record<string, EventEntry>> {
  return Object.fromEntries(
    consumedBy(service).map((entry) => [entry.type, { ...entry, schema: readerSchema(entry.type, service) }]),
  );
}
