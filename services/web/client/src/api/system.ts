// The web server's own system endpoints (services/web/src/system.ts; not in any service's OpenAPI):
// their answers' shapes, kept in step with that file by hand, and calls through `authorized`.
import { ApiError, authorized } from './client';

export interface ServiceHealth {
  name: string;
  ready: boolean;
  checks: Record<string, 'ok' | 'failing'>;
}

export interface SystemHealth {
  services: ServiceHealth[];
}

export interface TopicFlow {
  topic: string;
  producer: string | null;
  produced: number;
  producedPerSecond: number | null;
}

export interface GroupFlow {
  topic: string;
  group: string;
  consumed: number;
  consumedPerSecond: number | null;
  lag: number | null;
  deadLetters: number;
}

export interface OutboxBacklog {
  service: string;
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
  unavailable: string[];
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await authorized(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as T;
}

/** Each service's readiness (any signed-in user). */
export const systemHealth = (signal?: AbortSignal) => getJson<SystemHealth>('/system/health', signal);

/** The event flow per topic and consumer group (admins). */
export const systemFlows = (signal?: AbortSignal) => getJson<SystemFlows>('/system/flows', signal);
