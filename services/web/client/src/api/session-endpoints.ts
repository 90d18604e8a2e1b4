// The web server's session endpoints (the backend-for-frontend). Only the session code calls them.
import { ApiError } from './problem';
import { SessionEnded, type SessionGrant } from './tokens';

/** Sent on every session call: a cross-site form or image cannot set it, so it guards the cookie. */
export const csrfHeader = { 'x-tulity-session': '1' } as const;

async function post(path: string, init: { body?: unknown; accessToken?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...csrfHeader, accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.accessToken) headers.authorization = `Bearer ${init.accessToken}`;
  try {
    return await fetch(path, {
      method: 'POST',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw ApiError.network();
  }
}

export async function login(username: string, password: string): Promise<SessionGrant> {
  const response = await post('/session/login', { body: { username, password } });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as SessionGrant;
}

/** A new grant from the session cookie; SessionEnded when there is no session to renew. */
export async function refresh(): Promise<SessionGrant> {
  const response = await post('/session/refresh');
  if (response.status === 401) {
    const error = await ApiError.fromResponse(response);
    throw new SessionEnded(error.code !== 'SESSION.MISSING');
  }
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as SessionGrant;
}

/** Ends the session at accounts and drops the cookie. */
export async function logout(accessToken: string | undefined): Promise<void> {
  const response = await post('/session/logout', accessToken ? { accessToken } : {});
  if (!response.ok) throw await ApiError.fromResponse(response);
}
