// Events, read from the services' databases: end-to-end latency at a steady write rate, and the
// delivery count of every event the run caused (outbox rows vs the consumers' inbox rows).
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { catalogue } from '@tulity/contracts';
import {
  countDeliveries,
  endToEnd,
  type Deliveries,
  type DuplicateEffect,
  type InboxRow,
  type WrittenEvent,
} from './deliveries';
import { roundRobin, type LoadSettings, type Target } from './load';
import { paced } from './paced';
import type { EventFigures } from './model';
import { tokenOf, type Shop } from './seed';
import { SERVICES, type Service, type Stack } from './stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The services that must apply an event of this type, as the contracts' catalogue declares. */
export function declaredConsumersOf(type: string): string[] {
  const entry = (catalogue as Record<string, { consumers: ReadonlyArray<{ service: string }> }>)[type];
  return entry ? entry.consumers.map((consumer) => consumer.service) : [];
}

/**
 * A consumer group writes inbox rows only for the types it has handlers for, and the catalogue
 * may declare a reader that has none (transactions and StockChanged, at the time of writing). So a
 * declared consumer counts for a type once its inbox holds at least one event of that type, ever;
 * the others are named in the report instead of being counted as losses.
 */
async function consumers(stack: Stack) {
  const handled = new Map<string, Set<string>>();
  await Promise.all(
    SERVICES.map(async (service) => {
      const rows = await query<{ event_type: string }>(
        stack.databases[service],
        'select distinct event_type from event_inbox where group_id = $1',
        [service],
      );
      handled.set(service, new Set(rows.map((row) => row.event_type)));
    }),
  );
  const of = (type: string) => declaredConsumersOf(type).filter((service) => handled.get(service)?.has(type));
  const skipped = (types: Iterable<string>) =>
    [...new Set(types)].flatMap((type) =>
      declaredConsumersOf(type)
        .filter((service) => !handled.get(service)?.has(type))
        .map((service) => `${type} → ${service}: declared in contracts/src/catalogue.ts, never applied`),
    );
  return { of, skipped };
}

async function query<T>(url: string, sql: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Outbox rows whose correlation id is `tag` (or starts with it when `prefix`), from every service. */
async function written(stack: Stack, tag: string, prefix: boolean): Promise<Array<WrittenEvent & { key: string }>> {
  const rows = await Promise.all(
    SERVICES.map((service) =>
      query<{ event_id: string; event_type: string; key: string; created_ms: number }>(
        stack.databases[service],
        `select event_id, event_type, key, extract(epoch from created_at) * 1000 as created_ms
           from event_outbox where ${prefix ? 'starts_with(correlation_id, $1)' : 'correlation_id = $1'}`,
        [tag],
      ),
    ),
  );
  return rows
    .flat()
    .map((row) => ({ eventId: row.event_id, type: row.event_type, key: row.key, createdAt: Number(row.created_ms) }));
}

/** Inbox rows of the events, from each service's own consumer group. */
async function applied(
  stack: Stack,
  events: readonly WrittenEvent[],
  consumersOf: (type: string) => string[],
): Promise<InboxRow[]> {
  const rows = await Promise.all(
    SERVICES.map(async (service: Service) => {
      const ids = events.filter((event) => consumersOf(event.type).includes(service)).map((event) => event.eventId);
      if (ids.length === 0) return [];
      const found = await query<{ event_id: string; applied_ms: number }>(
        stack.databases[service],
        `select event_id, extract(epoch from applied_at) * 1000 as applied_ms
           from event_inbox where group_id = $1 and event_id = any($2::text[])`,
        [service, ids],
      );
      return found.map((row) => ({ service, eventId: row.event_id, appliedAt: Number(row.applied_ms) }));
    }),
  );
  return rows.flat();
}

/**
 * Effects that must happen once per key: products records one stock movement per product for a
 * purchase received, a sale reserved or released. A second one is an event applied twice, whatever
 * the inbox says.
 */
async function duplicateMovements(stack: Stack, references: string[]): Promise<DuplicateEffect[]> {
  if (references.length === 0) return [];
  const rows = await query<{ reason: string; reference: string; product_id: string; count: string }>(
    stack.databases.products,
    `select reason, reference, product_id, count(*) from stock_movements
      where reference = any($1::text[]) group by 1, 2, 3 having count(*) > 1`,
    [references],
  );
  return rows.map((row) => ({
    what: `stock movement ${row.reason} of product ${row.product_id}`,
    key: row.reference,
    count: Number(row.count),
  }));
}

/**
 * Where lost deliveries went: another database on the same server whose inbox holds them under the
 * same consumer group, i.e. a second stack on the same broker whose consumers joined this stack's
 * groups and took a share of its partitions.
 */
async function appliedElsewhere(
  stack: Stack,
  events: readonly WrittenEvent[],
  inbox: readonly InboxRow[],
  consumersOf: (type: string) => string[],
): Promise<string[]> {
  const found = new Set(inbox.map((row) => `${row.service}:${row.eventId}`));
  const notes: string[] = [];
  for (const service of SERVICES) {
    const missing = events
      .filter((event) => consumersOf(event.type).includes(service) && !found.has(`${service}:${event.eventId}`))
      .map((event) => event.eventId);
    if (missing.length === 0) continue;
    const own = new URL(stack.databases[service]);
    const siblings = await query<{ datname: string }>(
      stack.databases[service],
      'select datname from pg_database where starts_with(datname, $1) and datname <> current_database()',
      [`tulity_${service}`],
    );
    for (const { datname } of siblings) {
      own.pathname = `/${datname}`;
      const rows = await query<{ count: string }>(
        own.toString(),
        `select count(*) from event_inbox where group_id = $1 and event_id = any($2::text[])`,
        [service, missing],
      ).catch(() => [{ count: '0' }]);
      const count = Number(rows[0]?.count ?? 0);
      if (count > 0) notes.push(`${count} to ${service}, by group ${service} in database ${datname}`);
    }
  }
  return notes;
}

/**
 * Waits until every delivery the contracts call for has its inbox row, or until nothing new has
 * been applied for `quietMs`; then counts. A delivery still missing then is reported as lost.
 * A consumer writes the events it causes in the transaction that writes its inbox row, so once
 * every inbox row is there and two readings find the same events written, the chain has ended.
 */
export async function settleAndCount(
  stack: Stack,
  tag: string,
  { quietMs = 30_000, say }: { quietMs?: number; say: (line: string) => void },
): Promise<Deliveries> {
  let last = -1;
  let lastChange = Date.now();
  let writtenBefore = -1;
  const { of: consumersOf, skipped } = await consumers(stack);
  for (;;) {
    const pollStarted = Date.now();
    const events = await written(stack, tag, true);
    const inbox = await applied(stack, events, consumersOf);
    const aggregates = events
      .filter((event) => /\.(PurchaseRecorded|SaleRequested|SaleCancelled|SaleRejected)$/.test(event.type))
      .map((event) => event.key);
    const deliveries = countDeliveries(events, consumersOf, inbox, []);
    const settled = deliveries.lost === 0 && deliveries.written === writtenBefore;
    writtenBefore = deliveries.written;
    if (settled || Date.now() - lastChange > quietMs) {
      const duplicates = await duplicateMovements(stack, [...new Set(aggregates)]);
      const counted = countDeliveries(events, consumersOf, inbox, duplicates);
      return {
        ...counted,
        skipped: skipped(events.map((event) => event.type)),
        elsewhere: counted.lost > 0 ? await appliedElsewhere(stack, events, inbox, consumersOf) : [],
      };
    }
    if (deliveries.applied !== last) {
      say(
        `events: ${deliveries.applied.toLocaleString('en')} of ${deliveries.expected.toLocaleString('en')} deliveries applied, waiting for the rest`,
      );
      last = deliveries.applied;
      lastChange = Date.now();
    }
    // Counting tens of thousands of events takes CPU from the consumers being waited for: the
    // pause grows with the count's cost, so the bench spends at most a sixth of its time on it.
    await sleep(Math.max(1000, 5 * (Date.now() - pollStarted)));
  }
}

export interface EventOptions {
  stack: Stack;
  shop: Shop;
  runId: string;
  rate: number;
  load: LoadSettings;
  say: (line: string) => void;
}

/**
 * Purchases at a steady rate (each writes PurchaseRecorded, which products and notifications
 * apply); latency per event from its outbox row's created_at to each consumer's inbox applied_at,
 * both stamped by the same Postgres server's clock.
 */
export async function runEndToEnd(options: EventOptions): Promise<EventFigures> {
  const { stack, shop, runId, rate, load, say } = options;
  const tag = `bench-${runId}-e2e`;
  const product = roundRobin(shop.products);
  const token = await tokenOf(shop, shop.admin);
  say(`events: purchases at ${rate}/s for ${load.durationSeconds} s after ${load.warmupSeconds} s of warm-up`);
  const target = (requestId: string): Target => ({
    name: 'transactions POST /api/v1/purchases',
    kind: 'write',
    method: 'POST',
    url: `${stack.urls.transactions}/api/v1/purchases`,
    headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
    vary: (request) => {
      const bought = product();
      return {
        ...request,
        headers: { ...request.headers, 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          supplierName: 'Bench Wholesale',
          lines: [{ productId: bought.id, unitLevelId: bought.packLevelId, quantity: 1 }],
        }),
      };
    },
  });
  const pace = { rate, connections: load.connections };
  // The warm-up's events carry their own tag, so only the steady run's are measured; and they are
  // applied before it starts, so the steady run's CPU is its own events' and no backlog's.
  if (load.warmupSeconds > 0) {
    await paced(target(`${tag}-warmup`), { ...pace, seconds: load.warmupSeconds });
    await whenApplied(stack, `${tag}-warmup`);
  }
  // The CPU counts until the last consumer has applied the steady run's last event: a purchase's
  // cost is its request's and its event's, wherever that ran.
  const before = load.cpu?.start();
  const steady = await paced(target(tag), { ...pace, seconds: load.durationSeconds });
  const { events, inbox } = await whenApplied(stack, tag);
  const cpu = before && (await load.cpu!.finish(before, steady.requests - steady.non2xx));
  return {
    targetRate: rate,
    achievedRate: steady.requestsPerSecond,
    seconds: load.durationSeconds,
    failedWrites: steady.non2xx + steady.errors,
    flows: endToEnd(events, inbox),
    ...(cpu ? { cpu, cores: availableParallelism() } : {}),
  };
}

/** The events written under `tag` and their inbox rows, once all are applied or two minutes have passed. */
async function whenApplied(stack: Stack, tag: string) {
  const events = await written(stack, tag, false);
  const { of: consumersOf } = await consumers(stack);
  const expected = events.reduce((sum, event) => sum + consumersOf(event.type).length, 0);
  const deadline = Date.now() + 120_000;
  let inbox = await applied(stack, events, consumersOf);
  while (inbox.length < expected && Date.now() < deadline) {
    await sleep(500);
    inbox = await applied(stack, events, consumersOf);
  }
  return { events, inbox };
}
