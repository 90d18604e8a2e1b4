// The one way pages reach the services: typed clients generated from each service's OpenAPI
// document, sending the in-memory access token and renewing it when needed.
import createClient from 'openapi-fetch';
import type { paths as AccountsPaths } from './generated/accounts';
import type { paths as NotificationsPaths } from './generated/notifications';
import type { paths as ProductsPaths } from './generated/products';
import type { paths as TransactionsPaths } from './generated/transactions';
import { ApiError } from './problem';
import * as sessionEndpoints from './session-endpoints';
import { authorizedFetch, TokenKeeper, type SessionEnded, type SessionGrant } from './tokens';

export { ApiError } from './problem';
export type { Role, SessionGrant, SessionSettings, SessionUser } from './tokens';

type Listener<T> = (value: T) => void;
const grantListeners = new Set<Listener<SessionGrant>>();
const endListeners = new Set<Listener<SessionEnded>>();

/** The session's token holder; only the session code (src/app/session.tsx) talks to it directly. */
export const tokens = new TokenKeeper({
  refresh: sessionEndpoints.refresh,
  onGrant: (grant) => grantListeners.forEach((listener) => listener(grant)),
  onEnded: (error) => endListeners.forEach((listener) => listener(error)),
});

export function onSessionChange(onGrant: Listener<SessionGrant>, onEnded: Listener<SessionEnded>): () => void {
  grantListeners.add(onGrant);
  endListeners.add(onEnded);
  return () => {
    grantListeners.delete(onGrant);
    endListeners.delete(onEnded);
  };
}

const send = async (request: Request) => {
  try {
    return await fetch(request);
  } catch {
    throw ApiError.network();
  }
};
const options = { baseUrl: '', fetch: authorizedFetch(tokens, send) };

export const accounts = createClient<AccountsPaths>(options);
export const products = createClient<ProductsPaths>(options);
export const transactions = createClient<TransactionsPaths>(options);
export const notifications = createClient<NotificationsPaths>(options);

/** Any fetch on this origin with the session's token (for endpoints outside the generated clients, e.g. /system). */
export const authorized = (input: string, init?: RequestInit) =>
  authorizedFetch(tokens, send)(new Request(input, init));

/**
 * The data of an openapi-fetch call, or an ApiError carrying the service's problem:
 * `const page = await call(products.GET('/api/v1/products', { params: { query } }))`.
 */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw ApiError.network();
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, error);
  return data as T;
}
