// The system page's data: is each service ready, and how do events flow between them — per topic
// and consumer group, produced, consumed, lag, outbox backlog and dead letters. Read from
// Prometheus when it answers (it adds rates and the broker's own view of lag), else straight from
// the services' /metrics, so the page works on a bare `npm start` too.
import { Router } from '@tulity/adapters/http/router';
import { catalogue, topics } from '@tulity/contracts';
import {
  authenticate,
  createAuthenticator,
  requireRole,
  type AuthState,
  type Authenticator,
} from '@tulity/adapters/auth/index';
import { parseMetrics, type Sample } from './metrics-text';
import type { ServiceHealth, SystemFlows, SystemHealth } from './system-answers';

export interface SystemOptions {
  authenticator: Authenticator;
  /** The services, name → origin (the proxy's map). */
  serviceUrls: Record<string, string>;
  prometheusUrl: string;
  /** How long one upstream (a service, Prometheus) may take; the page refreshes every few seconds. */
  timeoutMs?: number;
}

/** Largest /metrics or Prometheus answer read; ours are a few kilobytes. */
const maxBodyBytes = 4 * 1024 * 1024;
const rateWindow = '1m';

async function fetchText(url: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBodyBytes) {
      await reader.cancel();
      throw new Error(`${url} answered more than ${maxBodyBytes} bytes`);
    }
    chunks.push(value);
  }
  return { status: response.status, text: Buffer.concat(chunks).toString('utf8') };
}

async function readiness(name: string, origin: string, timeoutMs: number): Promise<ServiceHealth> {
  try {
    const { status, text } = await fetchText(`${origin}/health/ready`, timeoutMs);
    const body = JSON.parse(text) as { checks?: Record<string, { status?: string }> };
    const checks = Object.fromEntries(
      Object.entries(body.checks ?? {}).map(([check, result]) => [check, result?.status === 'ok' ? 'ok' : 'failing']),
    ) as ServiceHealth['checks'];
    return { name, ready: status === 200, checks };
  } catch {
    return { name, ready: false, checks: {} };
  }
}

/** Figures keyed by label values, summed. */
type Sums = Map<string, number>;
const key = (...parts: string[]) => parts.join('\u0000');
const add = (sums: Sums, at: string, value: number) => sums.set(at, (sums.get(at) ?? 0) + value);

/** What both sources yield, before it is shaped into rows. */
interface Readings {
  produced: Sums; // topic
  producedRate?: Sums; // topic
  consumed: Sums; // group, type
  consumedRate?: Sums; // group, type
  lag: Sums; // group, topic
  deadLetters: Sums; // group, topic
  pending: Sums; // service
  oldestAge: Sums; // service
  relayActive: Sums; // service
  unavailable: string[];
}

function shape(readings: Readings, source: SystemFlows['source'], services: string[]): SystemFlows {
  const topicOf = (type: string) => (catalogue as Record<string, { topic: string } | undefined>)[type]?.topic;
  const groups = new Set(services);
  const rows = new Map<string, { topic: string; group: string }>();
  const row = (topic: string, group: string) => {
    if (groups.has(group)) rows.set(key(topic, group), { topic, group });
  };
  // Every declared subscription has a row, quiet or not; then whatever the figures add.
  for (const entry of Object.values(catalogue))
    for (const consumer of entry.consumers) row(entry.topic, consumer.service);
  for (const sums of [readings.lag, readings.deadLetters]) {
    for (const at of sums.keys()) {
      const [group, topic] = at.split('\u0000') as [string, string];
      row(topic, group);
    }
  }
  const consumed: Sums = new Map();
  const consumedRate: Sums = new Map();
  for (const [at, value] of readings.consumed) {
    const [group, type] = at.split('\u0000') as [string, string];
    const topic = topicOf(type);
    if (!topic) continue;
    add(consumed, key(group, topic), value);
    row(topic, group);
  }
  for (const [at, value] of readings.consumedRate ?? []) {
    const [group, type] = at.split('\u0000') as [string, string];
    const topic = topicOf(type);
    if (topic) add(consumedRate, key(group, topic), value);
  }
  const topicNames = new Set<string>([...Object.keys(topics), ...readings.produced.keys()]);
  const producers = topics as Record<string, { producer: string } | undefined>;
  const outboxServices = new Set([...services, ...readings.pending.keys()]);
  return {
    source,
    at: new Date().toISOString(),
    topics: [...topicNames].sort().map((topic) => ({
      topic,
      producer: producers[topic]?.producer ?? null,
      produced: readings.produced.get(topic) ?? 0,
      producedPerSecond: readings.producedRate ? (readings.producedRate.get(topic) ?? 0) : null,
    })),
    flows: [...rows.values()]
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.group.localeCompare(b.group))
      .map(({ topic, group }) => ({
        topic,
        group,
        consumed: consumed.get(key(group, topic)) ?? 0,
        consumedPerSecond: readings.consumedRate ? (consumedRate.get(key(group, topic)) ?? 0) : null,
        lag: readings.lag.get(key(group, topic)) ?? null,
        deadLetters: readings.deadLetters.get(key(group, topic)) ?? 0,
      })),
    outbox: [...outboxServices]
      .filter((service) => groups.has(service))
      .sort()
      .map((service) => ({
        service,
        pending: readings.pending.get(service) ?? null,
        oldestAgeSeconds: readings.oldestAge.get(service) ?? null,
        relayActive: readings.relayActive.has(service) ? readings.relayActive.get(service)! > 0 : null,
      })),
    unavailable: readings.unavailable,
  };
}

/** From each service's /metrics: counters since its processes started, the lag its consumers see. */
async function fromServices(serviceUrls: Record<string, string>, timeoutMs: number): Promise<Readings> {
  const readings: Readings = {
    produced: new Map(),
    consumed: new Map(),
    lag: new Map(),
    deadLetters: new Map(),
    pending: new Map(),
    oldestAge: new Map(),
    relayActive: new Map(),
    unavailable: [],
  };
  const scraped = await Promise.all(
    Object.entries(serviceUrls).map(async ([service, origin]) => {
      try {
        const { status, text } = await fetchText(`${origin}/metrics`, timeoutMs);
        if (status !== 200) throw new Error(`status ${status}`);
        return { service, samples: parseMetrics(text) };
      } catch {
        readings.unavailable.push(service);
        return { service, samples: [] as Sample[] };
      }
    }),
  );
  for (const { service, samples } of scraped) {
    for (const { name, labels, value } of samples) {
      if (name === 'relay_published_total' && labels.topic) add(readings.produced, labels.topic, value);
      else if (name === 'consumer_processed_total' && labels.group && labels.type)
        add(readings.consumed, key(labels.group, labels.type), value);
      else if (name === 'consumer_lag' && labels.group && labels.topic)
        add(readings.lag, key(labels.group, labels.topic), value);
      else if (name === 'consumer_dead_lettered_total' && labels.group && labels.topic)
        add(readings.deadLetters, key(labels.group, labels.topic), value);
      else if (name === 'outbox_pending_events') add(readings.pending, service, value);
      else if (name === 'outbox_oldest_pending_age_seconds')
        readings.oldestAge.set(service, Math.max(readings.oldestAge.get(service) ?? 0, value));
      else if (name === 'relay_active') add(readings.relayActive, service, value);
    }
  }
  readings.unavailable.sort();
  return readings;
}

interface PromVector {
  status: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** From Prometheus, which has every process of each service and the broker-side lag exporter. */
async function fromPrometheus(prometheusUrl: string, services: string[], timeoutMs: number): Promise<Readings> {
  const query = async (expression: string, ...labels: string[]): Promise<Sums> => {
    const { status, text } = await fetchText(
      `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`,
      timeoutMs,
    );
    const body = JSON.parse(text) as PromVector;
    if (status !== 200 || body.status !== 'success' || body.data?.resultType !== 'vector') {
      throw new Error(`Prometheus answered ${status} to ${expression}`);
    }
    const sums: Sums = new Map();
    for (const { metric, value } of body.data.result) {
      const figure = Number(value[1]);
      if (labels.every((label) => metric[label] !== undefined) && Number.isFinite(figure))
        add(sums, key(...labels.map((label) => metric[label]!)), figure);
    }
    return sums;
  };
  const [produced, producedRate, consumed, consumedRate, lag, deadLetters, pending, oldestAge, relayActive, up] =
    await Promise.all([
      query('sum by (topic) (relay_published_total)', 'topic'),
      query(`sum by (topic) (rate(relay_published_total[${rateWindow}]))`, 'topic'),
      query('sum by (group, type) (consumer_processed_total)', 'group', 'type'),
      query(`sum by (group, type) (rate(consumer_processed_total[${rateWindow}]))`, 'group', 'type'),
      // The broker's view when the lag exporter runs (it sees a dead consumer's lag grow); else the consumers' own.
      query(
        'sum by (group, topic) (kafka_consumergroup_lag) or sum by (group, topic) (max by (group, topic, partition) (consumer_lag))',
        'group',
        'topic',
      ),
      query('sum by (group, topic) (consumer_dead_lettered_total)', 'group', 'topic'),
      query('sum by (service) (outbox_pending_events)', 'service'),
      query('max by (service) (outbox_oldest_pending_age_seconds)', 'service'),
      query('max by (service) (relay_active)', 'service'),
      query('max by (service) (up)', 'service'),
    ]);
  return {
    produced,
    producedRate,
    consumed,
    consumedRate,
    lag,
    deadLetters,
    pending,
    oldestAge,
    relayActive,
    unavailable: services.filter((service) => (up.get(service) ?? 0) === 0),
  };
}

/**
 * Accounts' access tokens, verified with its published keys as every service does. The web server
 * has no database and reads no events, so it keeps no revocation list: a revoked token still reads
 * these figures until it expires (minutes), and nothing else.
 */
export const accountsAuthenticator = (jwksUrl: string): Authenticator =>
  createAuthenticator({ jwksUrl, issuer: 'tulity-accounts', revocations: { isRevoked: async () => false } });

/**
 * `GET /system/health` (any signed-in user) and `GET /system/flows` (admins), for a bearer token.
 */
export function systemRouter({ authenticator, serviceUrls, prometheusUrl, timeoutMs = 2_000 }: SystemOptions) {
  const services = Object.keys(serviceUrls).sort();
  const router = new Router<AuthState>({ prefix: '/system' });
  router.use(authenticate(authenticator));
  router.get('/health', async (ctx) => {
    const health = await Promise.all(services.map((name) => readiness(name, serviceUrls[name]!, timeoutMs)));
    ctx.set('cache-control', 'no-store');
    ctx.body = { services: health } satisfies SystemHealth;
  });
  router.get('/flows', requireRole('admin'), async (ctx) => {
    let flows: SystemFlows;
    try {
      flows = shape(await fromPrometheus(prometheusUrl, services, timeoutMs), 'prometheus', services);
    } catch {
      flows = shape(await fromServices(serviceUrls, timeoutMs), 'metrics', services);
    }
    ctx.set('cache-control', 'no-store');
    ctx.body = flows;
  });
  return router;
}
