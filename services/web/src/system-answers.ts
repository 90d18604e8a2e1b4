// The answers of the web server's own system endpoints (./system.ts; in no service's OpenAPI).
// Types only, so the browser app imports the same shapes the server sends.
export interface ServiceHealth {
  name: string;
  ready: boolean;
  /** Each dependency the service checks (database, kafka …) and whether it is ok. */
  checks: Record<string, 'ok' | 'failing'>;
}

export interface SystemHealth {
  services: ServiceHealth[];
}

export interface TopicFlow {
  topic: string;
  producer: string | null;
  /** Events the producer's relay published, since its processes started. */
  produced: number;
  producedPerSecond: number | null;
}

export interface GroupFlow {
  topic: string;
  group: string;
  /** Events the group applied, since its processes started. */
  consumed: number;
  consumedPerSecond: number | null;
  /** Messages not yet consumed; null when nobody reports it. */
  lag: number | null;
  deadLetters: number;
}

export interface OutboxBacklog {
  service: string;
  /** Outbox rows not yet published; null when the service did not answer. */
  pending: number | null;
  oldestAgeSeconds: number | null;
  relayActive: boolean | null;
}

export interface SystemFlows {
  source: 'prometheus' | 'metrics';
  at: string;
  topics: TopicFlow[];
  flows: GroupFlow[];
  outbox: OutboxBacklog[];
  /** Services whose figures are missing (down, or not scraped). */
  unavailable: string[];
}
