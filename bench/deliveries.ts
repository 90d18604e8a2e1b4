// Counting deliveries from database rows: every event the bench caused, by event id, against the
// inbox rows of every service the contracts name as its consumer. Pure: the rows come from ./events.ts.
import { spread, type Spread } from './stats';

export interface WrittenEvent {
  eventId: string;
  type: string;
  /** The outbox row's created_at, epoch ms (the producing transaction's clock). */
  createdAt: number;
}

export interface InboxRow {
  /** The consuming service (its consumer group has the service's name). */
  service: string;
  eventId: string;
  /** The inbox row's applied_at, epoch ms (the consuming transaction's clock, same server). */
  appliedAt: number;
}

/** An effect that must happen once per key, seen more than once (e.g. two stock movements for one purchase). */
export interface DuplicateEffect {
  what: string;
  key: string;
  count: number;
}

export interface Deliveries {
  written: number;
  /** Event × consuming service pairs the contracts call for. */
  expected: number;
  applied: number;
  lost: number;
  appliedTwice: number;
  /** A few of the lost pairs, to look them up. */
  lostSample: string[];
  duplicates: DuplicateEffect[];
  /** Declared consumers left out of the count because they have never applied an event of the type. */
  skipped: string[];
  /** Lost deliveries found applied in another database by a consumer group of the same name. */
  elsewhere: string[];
}

/**
 * `consumersOf(type)` names the services that must apply an event of that type. A pair with no
 * inbox row is lost; a pair with more than one row, or an effect seen twice, is applied twice.
 */
export function countDeliveries(
  written: readonly WrittenEvent[],
  consumersOf: (type: string) => readonly string[],
  inbox: readonly InboxRow[],
  duplicates: readonly DuplicateEffect[] = [],
): Deliveries {
  const rows = new Map<string, number>();
  for (const row of inbox) {
    const pair = `${row.service}:${row.eventId}`;
    rows.set(pair, (rows.get(pair) ?? 0) + 1);
  }
  const ids = new Set<string>();
  let expected = 0;
  let applied = 0;
  let twice = 0;
  const lost: string[] = [];
  for (const event of written) {
    if (ids.has(event.eventId)) continue;
    ids.add(event.eventId);
    for (const service of consumersOf(event.type)) {
      expected++;
      const count = rows.get(`${service}:${event.eventId}`) ?? 0;
      if (count === 0) lost.push(`${event.type} ${event.eventId} → ${service}`);
      else applied++;
      if (count > 1) twice++;
    }
  }
  return {
    written: ids.size,
    expected,
    applied,
    lost: lost.length,
    appliedTwice: twice + duplicates.length,
    lostSample: lost.slice(0, 5),
    duplicates: [...duplicates],
    skipped: [],
    elsewhere: [],
  };
}

export interface FlowLatency extends Spread {
  type: string;
  service: string;
}

/** Per event type and consumer, the time from the outbox row to the consumer's inbox row, in ms. */
export function endToEnd(written: readonly WrittenEvent[], inbox: readonly InboxRow[]): FlowLatency[] {
  const byId = new Map(written.map((event) => [event.eventId, event]));
  const flows = new Map<string, { type: string; service: string; latencies: number[] }>();
  for (const row of inbox) {
    const event = byId.get(row.eventId);
    if (!event) continue;
    const key = `${event.type} ${row.service}`;
    const flow = flows.get(key) ?? { type: event.type, service: row.service, latencies: [] };
    flow.latencies.push(row.appliedAt - event.createdAt);
    flows.set(key, flow);
  }
  return [...flows.values()]
    .map(({ type, service, latencies }) => ({ type, service, ...spread(latencies) }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.service.localeCompare(b.service));
}
