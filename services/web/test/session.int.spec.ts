// The web server's session endpoints against the real accounts service (in-process, on its test
// database): the refresh token only ever travels in the HttpOnly cookie.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { startHttp, type RunningHttp } from '@tulity/adapters/testing/kit';
import { adminPassword, logIn, register, startAccounts, type Harness } from '../../accounts/test/harness';
import { buildApp } from '../src/main';

/** A response's JSON body, loosely typed as tests read it. */
const json = (response: Response): Promise<any> => response.json();

const same = { 'x-tulity-session': '1' };

/** A cookie a response set (the session's unless named), as `name=value`, and its attributes. */
function cookieOf(response: Response, name = 'tulity_session'): { pair: string; attributes: string[] } | undefined {
  const header = response.headers.getSetCookie().find((line) => new RegExp(`^(__Secure-)?${name}=`).test(line));
  if (!header) return undefined;
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

/** The notice that a session ended. */
const noticeOf = (response: Response) => cookieOf(response, 'tulity_session_ended');

describe('the session endpoints (BFF)', () => {
  let accounts: Harness;
  let web: RunningHttp;
  const post = (path: string, init: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${web.url}${path}`, {
      method: 'POST',
      headers: {
        ...same,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const login = (username = 'admin', password = adminPassword) =>
    post('/session/login', { body: { username, password } });

  beforeAll(async () => {
    accounts = await startAccounts();
    web = await startHttp(
      buildApp({
        logger: createLogger('web'),
        metrics: createMetrics('web'),
        serviceUrls: { accounts: accounts.url },
        currency: 'CHF',
      }),
    );
  });
  afterAll(async () => {
    await web?.close();
    await accounts?.close();
  });

  test('login answers the access token and the user; the refresh token goes only into an HttpOnly, SameSite=Strict cookie', async () => {
    const response = await login();
    const body = await json(response);
    const cookie = cookieOf(response);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'settings', 'user']);
    expect(body.user).toEqual(expect.objectContaining({ username: 'admin', role: 'admin' }));
    expect(body.settings).toEqual({ currency: 'CHF' });
    expect(cookie?.pair).toMatch(/^tulity_session=[\w-]+$/);
    expect(cookie?.attributes).toEqual(expect.arrayContaining(['path=/session', 'httponly', 'samesite=strict']));
    expect(cookie?.attributes).not.toContain('secure');
    const me = await accounts.call('GET', '/api/v1/auth/me', { token: body.accessToken });
    expect(me.status).toBe(200);
  });

  test('behind https (X-Forwarded-Proto) the cookie is Secure and carries the __Secure- prefix', async () => {
    const response = await post('/session/login', {
      body: { username: 'admin', password: adminPassword },
      headers: { 'x-forwarded-proto': 'https' },
    });

    expect(cookieOf(response)?.pair).toMatch(/^__Secure-tulity_session=/);
    expect(cookieOf(response)?.attributes).toContain('secure');
  });

  test('a wrong password is refused with accounts’ readable problem and sets no cookie', async () => {
    const response = await login('admin', 'not the password');
    const body = await json(response);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(typeof body.detail).toBe('string');
    expect(cookieOf(response)).toBeUndefined();
  });

  test('bad login bodies are 400s naming the field, never 5xx', async () => {
    const cases = [
      { username: 'admin' },
      { username: '', password: 'x' },
      { username: 'a'.repeat(65), password: 'x' },
      { username: 'admin', password: 'x', refreshToken: 'smuggled' },
      { username: 7, password: 'x' },
    ];
    for (const body of cases) {
      const response = await post('/session/login', { body });
      const problem = await json(response);
      expect(response.status).toBe(400);
      expect(problem.errors.length).toBeGreaterThan(0);
    }
    const notJson = await fetch(`${web.url}/session/login`, {
      method: 'POST',
      headers: { ...same, 'content-type': 'text/plain' },
      body: 'username=admin',
    });
    expect(notJson.status).toBe(415);
  });

  test('calls without the app’s header, from another origin or another site are refused (CSRF)', async () => {
    const body = { username: 'admin', password: adminPassword };
    const noHeader = await fetch(`${web.url}/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const otherOrigin = await post('/session/login', { body, headers: { origin: 'https://evil.example' } });
    const otherSite = await post('/session/refresh', { headers: { 'sec-fetch-site': 'cross-site' } });
    const sameOrigin = await post('/session/login', {
      body,
      headers: { origin: web.url, 'sec-fetch-site': 'same-origin' },
    });

    expect([noHeader.status, otherOrigin.status, otherSite.status]).toEqual([403, 403, 403]);
    expect((await json(otherOrigin)).code).toBe('SESSION.CROSS_SITE');
    expect(sameOrigin.status).toBe(200);
  });

  test('refresh with the cookie gives a new access token and rotates the cookie; without one it says so', async () => {
    const first = cookieOf(await login())!;

    const refreshed = await post('/session/refresh', { cookie: first.pair });
    const body = await json(refreshed);
    const rotated = cookieOf(refreshed)!;
    const none = await post('/session/refresh');

    expect(refreshed.status).toBe(200);
    expect(body.user.username).toBe('admin');
    expect((await accounts.call('GET', '/api/v1/auth/me', { token: body.accessToken })).status).toBe(200);
    expect(rotated.pair).not.toBe(first.pair);
    expect(none.status).toBe(401);
    expect((await json(none)).code).toBe('SESSION.MISSING');
  });

  test('the same cookie sent twice at once (two tabs) does not end the session', async () => {
    const cookie = cookieOf(await login())!;

    const [a, b] = await Promise.all([
      post('/session/refresh', { cookie: cookie.pair }),
      post('/session/refresh', { cookie: cookie.pair }),
    ]);
    const next = await post('/session/refresh', { cookie: cookieOf(a)!.pair });

    expect([a.status, b.status, next.status]).toEqual([200, 200, 200]);
  });

  test('logout revokes the session at accounts and clears the cookie', async () => {
    const response = await login();
    const { accessToken } = await json(response);
    const cookie = cookieOf(response)!;

    const out = await post('/session/logout', {
      cookie: cookie.pair,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const cleared = cookieOf(out);
    const refresh = await post('/session/refresh', { cookie: cookie.pair });
    const me = await accounts.call('GET', '/api/v1/auth/me', { token: accessToken });

    expect(out.status).toBe(204);
    expect(cleared?.pair).toBe('tulity_session=');
    expect(cleared?.attributes.some((a) => a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
    expect(refresh.status).toBe(401);
    expect((await json(refresh)).code).toBe('SESSION.ENDED');
    expect(me.status).toBe(401);
  });

  test('logout without a usable access token still ends the session through the cookie', async () => {
    const response = await login();
    const { accessToken } = await json(response);
    const cookie = cookieOf(response)!;

    const out = await post('/session/logout', {
      cookie: cookie.pair,
      headers: { authorization: 'Bearer not.a.token' },
    });

    expect(out.status).toBe(204);
    expect((await accounts.call('GET', '/api/v1/auth/me', { token: accessToken })).status).toBe(401);
  });

  test('a session revoked at accounts cannot be refreshed: the answer says it ended and clears the cookie', async () => {
    const admin = await logIn(accounts, 'admin', adminPassword);
    const cashier = await register(accounts, admin.accessToken, 'cashier');
    const response = await login(cashier.username, cashier.password);
    const { accessToken } = await json(response);
    const cookie = cookieOf(response)!;

    expect((await accounts.call('POST', '/api/v1/auth/logout', { token: accessToken })).status).toBe(204);
    const refresh = await post('/session/refresh', { cookie: cookie.pair });

    expect(refresh.status).toBe(401);
    expect((await json(refresh)).code).toBe('SESSION.ENDED');
    expect(cookieOf(refresh)?.pair).toBe('tulity_session=');
  });

  test('a browser that lost the answer saying its session ended is told once more, then asked to sign in', async () => {
    const admin = await logIn(accounts, 'admin', adminPassword);
    const cashier = await register(accounts, admin.accessToken, 'cashier');
    const response = await login(cashier.username, cashier.password);
    const { accessToken } = await json(response);
    expect((await accounts.call('POST', '/api/v1/auth/logout', { token: accessToken })).status).toBe(204);

    // The page that asked was reloaded: its browser kept the answer's cookies, not its body.
    const lost = await post('/session/refresh', { cookie: cookieOf(response)!.pair });
    const notice = noticeOf(lost);
    const again = await post('/session/refresh', { cookie: notice!.pair });
    const later = await post('/session/refresh');

    expect(notice?.pair).toBe('tulity_session_ended=1');
    expect(notice?.attributes).toEqual(expect.arrayContaining(['path=/session', 'httponly', 'samesite=strict']));
    expect(again.status).toBe(401);
    expect((await json(again)).code).toBe('SESSION.ENDED');
    expect(noticeOf(again)?.pair).toBe('tulity_session_ended=');
    expect((await json(later)).code).toBe('SESSION.MISSING');
  });

  test('signing in or out drops the notice; without it, no session is a plain sign-in', async () => {
    const notice = 'tulity_session_ended=1';
    const signedIn = await post('/session/login', {
      body: { username: 'admin', password: adminPassword },
      cookie: notice,
    });
    const signedOut = await post('/session/logout', { cookie: notice });

    expect(signedIn.status).toBe(200);
    expect(noticeOf(signedIn)?.pair).toBe('tulity_session_ended=');
    expect(signedOut.status).toBe(204);
    expect(noticeOf(signedOut)?.pair).toBe('tulity_session_ended=');
  });

  test('a malformed cookie is an ended session, not an error', async () => {
    const refresh = await post('/session/refresh', { cookie: 'tulity_session=%00not-base64url' });

    expect(refresh.status).toBe(401);
    expect((await json(refresh)).code).toBe('SESSION.ENDED');
  });
});
