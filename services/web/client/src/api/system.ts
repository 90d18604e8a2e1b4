// The web server's own system endpoints (services/web/src/system.ts; not in any service's OpenAPI),
// called through `authorized`; their answers' shapes are the server's own.
import type { SystemFlows, SystemHealth } from '../../../src/system-answers';
import { ApiError, authorized } from './client';

export type { SystemFlows, SystemHealth } from '../../../src/system-answers';

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await authorized(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as T;
}

/** Each service's readiness (any signed-in user). */
export const systemHealth = (signal?: AbortSignal) => getJson<SystemHealth>('/system/health', signal);

/** The event flow per topic and consumer group (admins). */
export const systemFlows = (signal?: AbortSignal) => getJson<SystemFlows>('/system/flows', signal);
