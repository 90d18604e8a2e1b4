// A route is declared once: its schemas validate the request and document it in OpenAPI, and its
// access rule guards it. Use-case failures become problem+json here, in one place.
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import type { Authenticator, Role } from '@tulity/adapters/auth/authenticator';
import { authenticate, requireRole, type AuthState } from '@tulity/adapters/auth/middleware';
import type { AppState } from '@tulity/adapters/http/app';
import { ProblemError } from '@tulity/adapters/http/problem';
import { parseInput } from '@tulity/adapters/http/validation';
import type { Failure, FailureKind, Result } from '../../domain/failures';

type State = AppState & AuthState;
export type Ctx = Koa.ParameterizedContext<State, Router.RouterParamContext<State>>;

/** `public`: no token; `any-role`: any valid token; a role list: a valid token with one of them. */
export type Access = 'public' | 'any-role' | Role[];

export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  response?: z.ZodType;
  /** 201 for creations, 204 for no content; 200 otherwise. */
  status?: number;
  /** Problem statuses this route can answer besides 400/401/403, for the document. */
  problems?: number[];
  handle(input: { body: z.infer<B>; query: z.infer<Q>; ctx: Ctx }): Promise<unknown>;
}

export const route = <B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(r: Route<B, Q>) => r as unknown as Route;

const statusOf: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  throttled: 429,
};

export function toProblem(failure: Failure): ProblemError {
  const headers = failure.retryAfterSeconds ? { 'retry-after': String(failure.retryAfterSeconds) } : undefined;
  return new ProblemError(statusOf[failure.kind], failure.code, failure.message, failure.fields, headers);
}

/** The value of a successful result; a failure is thrown as its problem. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toProblem(result.failure);
  return result.value;
}

export function buildRouter(routes: Route[], authenticator: Authenticator): Router<State> {
  const router = new Router<State>({ prefix: '/api/v1' });
  const authenticated = authenticate(authenticator);
  for (const r of routes) {
    const guards = r.access === 'public' ? [] : [authenticated, ...(r.access === 'any-role' ? [] : [requireRole(...r.access)])];
    router[r.method](r.path, ...guards, async (ctx) => {
      // An absent body is checked like an empty object, so it is answered field by field too.
      const body = r.body ? parseInput(r.body, ctx.state.body === undefined ? {} : ctx.state.body) : undefined;
      const query = r.query ? parseInput(r.query, ctx.query, 'query') : undefined;
      const result = await r.handle({ body, query, ctx });
      ctx.status = r.status ?? 200;
      if (ctx.status !== 204) ctx.body = result;
    });
  }
  return router;
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const problemDescriptions: Record<number, string> = {
  400: 'Invalid input, with one entry per field',
  401: 'No valid access token (or wrong credentials for login)',
  403: 'The role or user may not do this',
  404: 'No such user',
  409: 'Conflicts with the stored state',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Too many failed attempts; see Retry-After',
};

export function openApiDocument(routes: Route[]): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }));
    const query = r.query
      ? Object.entries((z.toJSONSchema(r.query, { io: 'input' }) as { properties?: Record<string, object> }).properties ?? {})
        .map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
      : [];
    const status = String(r.status ?? 200);
    const statuses = [400, ...(r.access === 'public' ? [] : [401, 403]), ...(r.problems ?? []), ...(r.body ? [413, 415] : [])];
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-roles': r.access === 'any-role' ? ['admin', 'manager', 'cashier'] : r.access }),
      parameters: [...params, ...query],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input' }) } } } } : {}),
      responses: {
        [status]: {
          description: status === '204' ? 'Done' : 'OK',
          ...(r.response ? { content: { 'application/json': { schema: z.toJSONSchema(r.response, { io: 'output' }) } } } : {}),
        },
        ...Object.fromEntries([...new Set(statuses)].sort().map((s) => [String(s), problem(problemDescriptions[s] ?? 'Problem')])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tulity accounts',
      version: '1.0.0',
      description: 'Users, roles and sessions. Access tokens are ES256 JWTs verified by every service with the keys at /api/v1/auth/jwks.',
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code', 'detail'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' },
            instance: { type: 'string' }, requestId: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
