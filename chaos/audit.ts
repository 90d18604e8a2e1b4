// Reads the books' rows from the chaos stack's four databases and every event id from its topics
// (the relay writes `event-id` and `event-type` headers, so nothing needs decoding), for books.ts.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { topics } from '@tulity/contracts';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import { deadLetterTopic } from '@tulity/adapters/events/dead-letters';
import { eventHandlers as notificationsHandlers } from '../services/notifications/src/adapters/kafka/handlers';
import { eventHandlers as productsHandlers } from '../services/products/src/adapters/kafka/handlers';
import { eventHandlers as transactionsHandlers } from '../services/transactions/src/adapters/kafka/handlers';
import type { Acknowledged, BooksInput, DeadLetter, TopicEvent } from './books';
import { databaseUrl, kafkaBrokers, serviceNames, type ServiceName } from './stack';

/**
 * Consumer group (= service name) → the event types it applies: the keys of each service's own
 * handler table (built without calling anything), not the catalogue's declarations, which may
 * name a type a service reads but does not act on.
 */
export function handledTypes(): Record<string, string[]> {
  const unused = () => {
    throw new Error('handlers are only listed here, never called');
  };
  return {
    accounts: Object.keys(revocationHandlers()),
    products: Object.keys(productsHandlers(unused)),
    transactions: Object.keys(transactionsHandlers(unused)),
    notifications: Object.keys(notificationsHandlers({ hearEventIn: unused })),
  };
}

/** The rows of each statement, read one after another on one session of the service's database. */
async function query<T>(service: ServiceName, ...statements: string[]): Promise<T[][]> {
  const client = new pg.Client({ connectionString: databaseUrl(service), connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const results: T[][] = [];
    for (const sql of statements) results.push((await client.query(sql)).rows as T[]);
    return results;
  } finally {
    await client.end();
  }
}

type Row = Record<string, string | number | boolean | null>;
const num = (value: unknown) => Number(value);

/** Every message's event id and type on `names`, read from the start to the end offsets seen now. */
export async function readTopics(names: string[]): Promise<Array<TopicEvent & { headers: Record<string, string> }>> {
  const kafka = new Kafka({
    brokers: [kafkaBrokers],
    clientId: 'chaos-audit',
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of names) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(partition.high) > BigInt(partition.low))
          ends.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const events: Array<TopicEvent & { headers: Record<string, string> }> = [];
  if (ends.size === 0) return events;
  const consumer = kafka.consumer({ groupId: `chaos-audit-${randomUUID()}`, sessionTimeout: 30_000 });
  await consumer.connect();
  try {
    const partitions = [...ends.keys()];
    await consumer.subscribe({
      topics: [...new Set(partitions.map((key) => key.slice(0, key.lastIndexOf('/'))))],
      fromBeginning: true,
    });
    const remaining = new Set(partitions);
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        const key = `${batch.topic}/${batch.partition}`;
        const end = ends.get(key);
        for (const message of batch.messages) {
          resolveOffset(message.offset);
          if (end === undefined || BigInt(message.offset) >= end) continue;
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value ?? '')]),
          );
          events.push({
            topic: batch.topic,
            eventId: headers['event-id'] ?? '',
            eventType: headers['event-type'] ?? '',
            headers,
          });
          if (BigInt(message.offset) >= end - 1n) remaining.delete(key);
        }
        if (remaining.size === 0) finished();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`reading the topics took over 120 s (left: ${[...remaining].join(', ')})`)),
          120_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return events;
}

/** Everything books.ts checks, read now. */
export async function readBooks(acknowledged: Acknowledged): Promise<BooksInput> {
  const outbox: BooksInput['outbox'] = [];
  const inbox: BooksInput['inbox'] = [];
  for (const service of serviceNames) {
    const [published, applied] = await query<Row>(
      service,
      'select event_id, topic, published_at is not null as published from event_outbox',
      'select group_id, event_id from event_inbox',
    );
    for (const row of published!)
      outbox.push({
        service,
        eventId: String(row.event_id),
        topic: String(row.topic),
        published: row.published === true,
      });
    for (const row of applied!) inbox.push({ group: String(row.group_id), eventId: String(row.event_id) });
  }
  const [products, stock, movements, reservations, productReturns] = await query<Row>(
    'products',
    'select id from products',
    'select product_id, quantity from product_stock',
    'select product_id, delta, balance_after, reason, reference from stock_movements',
    'select sale_id, status from stock_reservations',
    'select return_id, sale_id from sale_returns',
  );
  const [purchaseLines, sales, saleLines, returns] = await query<Row>(
    'transactions',
    'select purchase_id, product_id, base_quantity from purchase_lines',
    'select id, status from sales',
    'select sale_id, product_id, base_quantity, returned_quantity * conversion_factor as returned_base from sale_lines',
    'select id, sale_id from sale_returns',
  );
  const [notifications] = await query<Row>(
    'notifications',
    'select source_id, recipient_id, count(*) as n from notifications group by source_id, recipient_id',
  );
  const topicNames = Object.keys(topics);
  const onTopics = await readTopics([...topicNames, ...topicNames.map(deadLetterTopic)]);
  const deadLetters: DeadLetter[] = onTopics
    .filter((event) => event.topic.endsWith('.dlq'))
    .map((event) => ({ topic: event.topic, group: event.headers['dlq-group'] ?? '?', eventId: event.eventId }));
  return {
    products: products!.map((row) => String(row.id)),
    stock: stock!.map((row) => ({ productId: String(row.product_id), quantity: num(row.quantity) })),
    movements: movements!.map((row) => ({
      productId: String(row.product_id),
      delta: num(row.delta),
      balanceAfter: num(row.balance_after),
      reason: String(row.reason),
      reference: row.reference === null ? null : String(row.reference),
    })),
    purchaseLines: purchaseLines!.map((row) => ({
      purchaseId: String(row.purchase_id),
      productId: String(row.product_id),
      baseQuantity: num(row.base_quantity),
    })),
    sales: sales!.map((row) => ({ id: String(row.id), status: String(row.status) })),
    saleLines: saleLines!.map((row) => ({
      saleId: String(row.sale_id),
      productId: String(row.product_id),
      baseQuantity: num(row.base_quantity),
      returnedBase: num(row.returned_base),
    })),
    returns: returns!.map((row) => ({ id: String(row.id), saleId: String(row.sale_id) })),
    productReturns: productReturns!.map((row) => ({ id: String(row.return_id), saleId: String(row.sale_id) })),
    reservations: reservations!.map((row) => ({ saleId: String(row.sale_id), status: String(row.status) })),
    outbox,
    inbox,
    topicEvents: onTopics
      .filter((event) => !event.topic.endsWith('.dlq'))
      .map(({ topic, eventId, eventType }) => ({ topic, eventId, eventType })),
    deadLetters,
    handledTypes: handledTypes(),
    notifications: notifications!.map((row) => ({
      sourceId: String(row.source_id),
      recipientId: String(row.recipient_id),
      count: num(row.n),
    })),
    acknowledged,
  };
}
