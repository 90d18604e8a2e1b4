// The backend-for-frontend for sign-in: the browser never holds a refresh token a script could
// read. Login and refresh go through here; the refresh token lives in an HttpOnly, SameSite=Strict
// cookie that only /session/… sees, and the page gets the short-lived access token in the body,
// which it keeps in memory.
import { createHash } from 'node:crypto';
import { Router } from '@tulity/adapters/http/router';
import type Koa from 'koa';
import { z } from 'zod';
import type { AppState } from '@tulity/adapters/http/app';
import { ProblemError } from '@tulity/adapters/http/problem';
import { parseInput } from '@tulity/adapters/http/validation';

export interface SessionOptions {
  /** Origin of the accounts service, e.g. http://127.0.0.1:8011. */
  accountsUrl: string;
  /** ISO 4217 code the client formats money in. */
  currency: string;
  /** How long an answer to a refresh is handed again to a repeat of the same refresh. */
  refreshGraceMs?: number;
  /** How long accounts may take to answer. */
  timeoutMs?: number;
}

export const sessionPath = '/session';
const cookieName = (secure: boolean) => (secure ? '__Secure-tulity_session' : 'tulity_session');
/**
 * Left when a session is found ended, for the browser's next refresh without a session: a page
 * reloaded while its refresh was answered gets the answer's cookies but never reads its body, and
 * would otherwise show a plain login instead of "your session has ended".
 */
const endedNoticeName = (secure: boolean) => (secure ? '__Secure-tulity_session_ended' : 'tulity_session_ended');
const endedNoticeMs = 10 * 60_000;
/** A header a cross-site form, link or image cannot send, and a cross-site script cannot without a CORS grant we never give. */
export const csrfHeader = 'x-tulity-session';

const loginBody = z.strictObject({
  username: z.string().trim().min(1, 'Enter your username.').max(64, 'A username has at most 64 characters.'),
  password: z.string().min(1, 'Enter your password.').max(1024, 'A password has at most 1024 characters.'),
});
const refreshTokenPattern = /^[\w-]{1,512}$/;

const user = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  role: z.enum(['admin', 'manager', 'cashier']),
});
const tokens = z.object({
  accessToken: z.string(),
  expiresIn: z.number(),
  refreshToken: z.string().regex(refreshTokenPattern),
  refreshExpiresIn: z.number(),
});
type Tokens = z.infer<typeof tokens>;
type User = z.infer<typeof user>;

interface Grant {
  tokens: Tokens;
  user: User;
}

const endedProblem = () =>
  new ProblemError(401, 'SESSION.ENDED', 'Your session has ended (it expired or was closed). Please sign in again.');
const missing = () => new ProblemError(401, 'SESSION.MISSING', 'You are not signed in.');
const unavailable = () =>
  new ProblemError(
    503,
    'UPSTREAM.UNAVAILABLE',
    'Signing in is not possible right now: the accounts service is not answering.',
    undefined,
    {
      'retry-after': '5',
    },
  );

/**
 * Cookie-authenticated calls must come from our own pages: the custom header forces a cross-site
 * script into a CORS preflight that fails, and browsers that say where a request comes from
 * (Origin, Sec-Fetch-Site) must say "here".
 */
function assertSameOrigin(ctx: Koa.Context) {
  const refuse = () =>
    new ProblemError(403, 'SESSION.CROSS_SITE', 'This call must come from the Tulity web app itself.');
  if (ctx.get(csrfHeader) !== '1') throw refuse();
  const site = ctx.get('sec-fetch-site');
  if (site && site !== 'same-origin') throw refuse();
  const origin = ctx.get('origin');
  if (origin && origin !== ctx.origin) throw refuse();
}

/** The client address accounts limits logins by: it believes X-Forwarded-For from us and reads the entry we append. */
function forwardedFor(ctx: Koa.Context): string {
  const forwarded = ctx.get('x-forwarded-for');
  const client = ctx.req.socket.remoteAddress ?? 'unknown';
  return forwarded ? `${forwarded}, ${client}` : client;
}

export function sessionRouter(options: SessionOptions) {
  const { accountsUrl, currency, refreshGraceMs = 10_000, timeoutMs = 10_000 } = options;
  const router = new Router<AppState>({ prefix: sessionPath });

  async function accounts(
    ctx: Koa.Context,
    method: 'GET' | 'POST',
    path: 'login' | 'refresh' | 'me' | 'logout',
    init: { body?: unknown; bearer?: string } = {},
  ) {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-request-id': ctx.state.requestId,
      'x-forwarded-for': forwardedFor(ctx),
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    try {
      const response = await fetch(new URL(`/api/v1/auth/${path}`, accountsUrl), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
    } catch {
      throw unavailable();
    }
  }

  /** Accounts' answer as ours when it refused (its problem, as it sent it), or a 503 when it failed. */
  function refused(answer: { status: number; body: unknown; retryAfter: string | null }): never {
    if (answer.status >= 400 && answer.status < 500 && typeof answer.body === 'object' && answer.body !== null) {
      const problem = answer.body as { code?: unknown; detail?: unknown; errors?: unknown };
      throw new ProblemError(
        answer.status,
        typeof problem.code === 'string' ? problem.code : 'SESSION.REFUSED',
        typeof problem.detail === 'string' ? problem.detail : 'Signing in was refused.',
        Array.isArray(problem.errors) ? problem.errors : undefined,
        answer.retryAfter ? { 'retry-after': answer.retryAfter } : undefined,
      );
    }
    throw unavailable();
  }

  function setCookie(ctx: Koa.Context, name: string, value: string, maxAgeMs: number) {
    ctx.cookies.set(name, value, {
      path: sessionPath,
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
      maxAge: maxAgeMs,
      overwrite: true,
    });
  }

  function dropNotice(ctx: Koa.Context) {
    if (ctx.cookies.get(endedNoticeName(ctx.secure))) setCookie(ctx, endedNoticeName(ctx.secure), '', 0);
  }

  function keep(ctx: Koa.Context, refreshToken: string, maxAgeSeconds: number) {
    setCookie(ctx, cookieName(ctx.secure), refreshToken, maxAgeSeconds * 1000);
    dropNotice(ctx);
  }

  function forget(ctx: Koa.Context) {
    setCookie(ctx, cookieName(ctx.secure), '', 0);
    dropNotice(ctx);
  }

  /** The session ended without the user signing out: the cookie goes, the notice stays a while. */
  function ended(ctx: Koa.Context): ProblemError {
    setCookie(ctx, cookieName(ctx.secure), '', 0);
    setCookie(ctx, endedNoticeName(ctx.secure), '1', endedNoticeMs);
    return endedProblem();
  }

  function answer(ctx: Koa.Context, grant: Grant) {
    keep(ctx, grant.tokens.refreshToken, grant.tokens.refreshExpiresIn);
    ctx.set('cache-control', 'no-store');
    ctx.body = {
      accessToken: grant.tokens.accessToken,
      expiresIn: grant.tokens.expiresIn,
      user: grant.user,
      settings: { currency },
    };
  }

  async function exchange(ctx: Koa.Context, refreshToken: string): Promise<Grant | undefined> {
    const renewed = await accounts(ctx, 'POST', 'refresh', { body: { refreshToken } });
    if (renewed.status === 401 || renewed.status === 400) return undefined;
    if (renewed.status !== 200) refused(renewed);
    const fresh = tokens.safeParse(renewed.body);
    if (!fresh.success) throw unavailable();
    const me = await accounts(ctx, 'GET', 'me', { bearer: fresh.data.accessToken });
    // A user deactivated or deleted since the token was issued has no session to continue.
    if (me.status === 401 || me.status === 403 || me.status === 404) return undefined;
    const who = user.safeParse(me.body);
    if (me.status !== 200 || !who.success) throw unavailable();
    return { tokens: fresh.data, user: who.data };
  }

  // Refresh tokens are single use and a reused one ends the session at accounts. Two tabs, or a
  // reload racing a silent refresh, can send the same cookie twice: the repeat within the grace
  // period gets the first exchange's answer instead of killing the session.
  const recent = new Map<string, { at: number; grant: Promise<Grant | undefined> }>();
  const keyOf = (refreshToken: string) => createHash('sha256').update(refreshToken).digest('base64url');
  function exchangeOnce(ctx: Koa.Context, refreshToken: string): Promise<Grant | undefined> {
    const now = Date.now();
    for (const [key, entry] of recent) if (now - entry.at > refreshGraceMs) recent.delete(key);
    const key = keyOf(refreshToken);
    const known = recent.get(key);
    if (known) return known.grant;
    const grant = exchange(ctx, refreshToken);
    recent.set(key, { at: now, grant });
    // A failure to reach accounts must not stick: the next try asks again.
    grant.catch(() => recent.delete(key));
    return grant;
  }

  router.post('/login', async (ctx) => {
    assertSameOrigin(ctx);
    const body = parseInput(loginBody, ctx.state.body ?? {});
    const result = await accounts(ctx, 'POST', 'login', { body });
    if (result.status !== 200) refused(result);
    const fresh = tokens.safeParse(result.body);
    const who = user.safeParse((result.body as { user?: unknown }).user);
    if (!fresh.success || !who.success) throw unavailable();
    answer(ctx, { tokens: fresh.data, user: who.data });
  });

  router.post('/refresh', async (ctx) => {
    assertSameOrigin(ctx);
    const refreshToken = ctx.cookies.get(cookieName(ctx.secure));
    if (!refreshToken) {
      if (!ctx.cookies.get(endedNoticeName(ctx.secure))) throw missing();
      // Said once: the next visit without a session is a plain sign-in.
      forget(ctx);
      throw endedProblem();
    }
    if (!refreshTokenPattern.test(refreshToken)) throw ended(ctx);
    const grant = await exchangeOnce(ctx, refreshToken);
    if (!grant) throw ended(ctx);
    answer(ctx, grant);
  });

  router.post('/logout', async (ctx) => {
    assertSameOrigin(ctx);
    const bearer = /^Bearer ([\w.-]{1,4096})$/.exec(ctx.get('authorization'))?.[1];
    const refreshToken = ctx.cookies.get(cookieName(ctx.secure));
    forget(ctx);
    ctx.set('cache-control', 'no-store');
    ctx.status = 204;
    // Signing out here always works; accounts is told when it can be reached.
    try {
      const revoked = bearer !== undefined && (await accounts(ctx, 'POST', 'logout', { bearer })).status === 204;
      // An expired access token cannot end the session; the cookie can still get one that does.
      if (!revoked && refreshToken && refreshTokenPattern.test(refreshToken)) {
        const grant = await exchangeOnce(ctx, refreshToken);
        if (grant) await accounts(ctx, 'POST', 'logout', { bearer: grant.tokens.accessToken });
      }
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
    } finally {
      // A repeat of this cookie must not be handed the grant of a session that was just ended.
      if (refreshToken) recent.delete(keyOf(refreshToken));
    }
  });

  return router;
}
