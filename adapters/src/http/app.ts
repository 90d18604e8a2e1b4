import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import { ProblemError, problemBody } from './problem';
import { dispatch, Router } from './router';
import { assertCleanInput } from './validation';

export type ReadinessCheck = () => Promise<unknown>;

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  metrics: Metrics;
  /** Named dependencies `/health/ready` checks, e.g. `{ database: () => knex.raw('select 1') }`. */
  readiness?: Record<string, ReadinessCheck>;
  /** The OpenAPI document served at `/openapi.json`. */
  openapi?: object;
  /** Routers mounted after the built-in routes. */
  routers?: Router<any>[];
  /** Middleware that must see the raw request, before the JSON body reader (e.g. a proxy). */
  beforeBody?: Koa.Middleware<AppState>[];
  /** Largest JSON body accepted, in bytes. */
  bodyLimit?: number;
}

export interface AppState {
  requestId: string;
  body: unknown;
  /** The matched route's path as declared (`/api/v1/products/:id`), for the request metrics. */
  route?: string;
}

const readinessTimeoutMs = 2000;

/** A request slower than this is logged at info even when it succeeded. */
const slowRequestMs = 500;

/**
 * Failures and slow requests at info or above; a quick success only at debug. A line per request
 * cost a third of a busy service's throughput (the bench's profiles), and the request metrics
 * already count every one; LOG_LEVEL=debug brings the full access log back.
 */
export function requestLogLevel(status: number, ms: number): 'debug' | 'info' | 'error' {
  if (status >= 500) return 'error';
  return status >= 400 || ms >= slowRequestMs ? 'info' : 'debug';
}

/** The methods the routers know; anything else is refused before routing. */
const servedMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Headers every response carries. An API response is data, never a document: it may not be
 * sniffed into HTML, framed, or load anything. A page (the web client's HTML) sets its own
 * policy; it only gets the framing ban when it sets none.
 */
function protectResponse(ctx: Koa.ParameterizedContext<AppState>) {
  // On Node's response itself: Koa's `ctx.response.get` and `type` copy every header (getHeaders())
  // on each call, twice per response here.
  const res = ctx.res;
  if (res.headersSent) return;
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  const type = String(res.getHeader('content-type') ?? '').split(';', 1)[0];
  if (!res.hasHeader('content-security-policy')) {
    res.setHeader(
      'content-security-policy',
      type === 'text/html' ? "frame-ancestors 'none'" : "default-src 'none'; frame-ancestors 'none'",
    );
  }
  // A shared cache must not hand one caller's answer to another; a problem is never worth keeping.
  if (ctx.get('authorization') || type === 'application/problem+json') res.setHeader('cache-control', 'no-store');
}

/**
 * The Koa app every service runs: request ids, a log line per failed or slow request, RFC 9457 errors,
 * a strict JSON body reader, request metrics by route template, health, metrics and OpenAPI.
 */
export function createHttpApp(options: HttpAppOptions): Koa<AppState> {
  const { logger, metrics } = options;
  const app = new Koa<AppState>();
  app.proxy = true;
  app.silent = true;

  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('x-request-id', ctx.state.requestId);
    const started = performance.now();
    try {
      // Before any route: a method no router serves (TRACE, PROPFIND, …) would otherwise end as a
      // 500. A 4xx, not 501: an anonymous flood of odd methods must not page on-call as server errors.
      if (!servedMethods.has(ctx.method)) {
        throw new ProblemError(405, 'REQUEST.METHOD_NOT_ALLOWED', `${ctx.method} is not served here.`, undefined, {
          allow: [...servedMethods].join(', '),
        });
      }
      if (ctx.querystring !== '') assertCleanInput(ctx.query, 'query');
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ProblemError(404, 'ROUTE.NOT_FOUND', `No route for ${ctx.method} ${ctx.path}.`);
      }
    } catch (error) {
      respondWithProblem(ctx, error, logger);
    } finally {
      protectResponse(ctx);
      const elapsed = performance.now() - started;
      metrics.httpDuration.observe(
        { method: ctx.method, route: ctx.state.route ?? 'unmatched', status: String(ctx.status) },
        elapsed / 1000,
      );
      const ms = Math.round(elapsed);
      const level = requestLogLevel(ctx.status, ms);
      if (logger.isLevelEnabled(level)) {
        logger[level](
          { requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms },
          'request',
        );
      }
    }
  });

  for (const middleware of options.beforeBody ?? []) app.use(middleware);
  app.use(jsonBody(options.bodyLimit ?? 100 * 1024));

  const builtIn = new Router<AppState>();
  builtIn.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok', service: options.service };
  });
  builtIn.get('/health/ready', async (ctx) => {
    const checks = await runChecks(options.readiness ?? {});
    const ready = Object.values(checks).every((c) => c.status === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ok' : 'unavailable', service: options.service, checks };
  });
  builtIn.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  builtIn.get('/openapi.json', (ctx) => {
    ctx.body = options.openapi ?? { openapi: '3.1.0', info: { title: options.service, version: '0.1.0' }, paths: {} };
  });
  app.use(dispatch([builtIn, ...(options.routers ?? [])]));
  return app;
}

type CheckResult = { status: 'ok' } | { status: 'failing'; reason: string };

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${readinessTimeoutMs} ms`)), readinessTimeoutMs);
          }),
        ]);
        return [name, { status: 'ok' } as CheckResult] as const;
      } catch (error) {
        return [name, { status: 'failing', reason: (error as Error).message } as CheckResult] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

function respondWithProblem(ctx: Koa.ParameterizedContext<AppState>, error: unknown, logger: Logger) {
  const problem = toProblem(error);
  if (problem.status >= 500) {
    logger.error({ err: error, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
  }
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.headers ?? {})) ctx.set(name, value);
  // Koa infers the type from an object body, so the body goes first and the type after it.
  ctx.body = problemBody(problem, ctx.path, ctx.state.requestId);
  ctx.type = 'application/problem+json';
}

function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const status = (error as { status?: number }).status;
  const expose = (error as { expose?: boolean }).expose;
  if (status && status >= 400 && status < 500 && expose) {
    return new ProblemError(status, 'REQUEST.REJECTED', (error as Error).message);
  }
  if (isDatabaseUnavailable(error)) {
    return new ProblemError(
      503,
      'SERVICE.UNAVAILABLE',
      'The service cannot reach its database just now; try again in a moment.',
      undefined,
      { 'retry-after': '1' },
    );
  }
  return new ProblemError(500, 'INTERNAL', 'Something went wrong on our side; the request id helps us find it.');
}

// Postgres's own words for "not now": the connection failed or was cut (08…), the server is
// shutting down or starting (57P01–57P03), or it has no connection left (53300).
const unavailableStates = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);
// Node's words for a socket to the database that could not open or broke under a write.
const socketBroken = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/**
 * The database went away under the request (restarted, failed over, out of connections, its
 * session killed): the same request may well succeed in a moment, so it is a 503 that clients may
 * retry, not a 500 that says the service is broken.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (unavailableStates.has(code) || socketBroken.has(code))) return true;
  // knex found no free connection in time; pg lost the socket without a SQLSTATE.
  if (name === 'KnexTimeoutError') return true;
  return typeof message === 'string' && message.startsWith('Connection terminated');
}

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Reads a JSON body into `ctx.state.body`: 415 for another media type, 413 when too large, 400
 * when malformed, too deep or holding control characters.
 */
function jsonBody(limit: number): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    ctx.state.body = undefined;
    if (!bodyMethods.has(ctx.method) || !hasBody(ctx)) return next();
    if (!ctx.is('application/json', '+json')) {
      throw new ProblemError(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
    }
    let text: string;
    try {
      text = await getRawBody(ctx.req, { limit, encoding: 'utf8', length: ctx.get('content-length') || undefined });
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        throw new ProblemError(413, 'REQUEST.TOO_LARGE', `The body is larger than ${limit} bytes.`);
      }
      throw new ProblemError(400, 'REQUEST.UNREADABLE', 'The request body could not be read.');
    }
    if (text.trim() === '') return next();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ProblemError(400, 'REQUEST.MALFORMED_JSON', 'The body is not valid JSON.');
    }
    assertCleanInput(body, 'body');
    ctx.state.body = body;
    return next();
  };
}

function hasBody(ctx: Koa.Context): boolean {
  const length = ctx.get('content-length');
  return ctx.get('transfer-encoding') !== '' || (length !== '' && length !== '0');
}
