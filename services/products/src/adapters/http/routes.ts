// A route is declared once: its schemas validate the request and document it in OpenAPI, and
// its roles guard it. Errors of the domain become problem+json here, in one place.
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { ProblemError } from '@tulity/adapters/http/problem';
import { parseInput } from '@tulity/adapters/http/validation';
import { authenticate, requireRole, type AuthState } from '@tulity/adapters/auth/middleware';
import type { Authenticator, Role } from '@tulity/adapters/auth/authenticator';
import type { AppState } from '@tulity/adapters/http/app';
import { DomainError, type ErrorKind } from '../../domain/errors';
import { UnknownSortError } from '../postgres/knex-queries';

type State = AppState & AuthState;
export type Ctx = Koa.ParameterizedContext<State, Router.RouterParamContext<State>>;

export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  body?: B;
  query?: Q;
  /** 201 for creations, 204 for deletions; 200 otherwise. */
  status?: number;
  /** The response body's shape, documented in OpenAPI. */
  response?: z.ZodType;
  handle(input: { params: Record<string, string>; body: z.infer<B>; query: z.infer<Q>; ctx: Ctx }): Promise<unknown>;
}

export const route = <B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(r: Route<B, Q>) => r as unknown as Route;

const readers: Role[] = ['admin', 'manager', 'cashier'];
const writers: Role[] = ['admin', 'manager'];
const statusOf: Record<ErrorKind, number> = { invalid: 400, 'not-found': 404, conflict: 409 };

export function toProblem(error: unknown): unknown {
  if (error instanceof DomainError) return new ProblemError(statusOf[error.kind], error.code, error.message, error.fields);
  if (error instanceof UnknownSortError) return new ProblemError(400, 'REQUEST.INVALID', error.message, [{ field: 'sort', message: error.message }]);
  return error;
}

export function buildRouter(routes: Route[], authenticator: Authenticator): Router<State> {
  const router = new Router<State>({ prefix: '/api/v1' });
  router.use(authenticate(authenticator));
  for (const r of routes) {
    router[r.method](r.path, requireRole(...(r.method === 'get' ? readers : writers)), async (ctx) => {
      try {
        const body = r.body ? parseInput(r.body, ctx.state.body ?? {}) : undefined;
        const query = r.query ? parseInput(r.query, ctx.query, 'query') : undefined;
        const result = await r.handle({ params: ctx.params, body, query, ctx });
        ctx.status = r.status ?? 200;
        if (ctx.status !== 204) ctx.body = result;
      } catch (error) {
        throw toProblem(error);
      }
    });
  }
  return router;
}

const problem = { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

export function openApiDocument(routes: Route[]): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.query ? Object.entries((z.toJSONSchema(r.query, { io: 'input' }) as { properties?: Record<string, object> }).properties ?? {})
      .map(([name, schema]) => ({ name, in: 'query', required: false, schema })) : [];
    const status = String(r.status ?? 200);
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      security: [{ bearer: [] }],
      'x-roles': r.method === 'get' ? readers : writers,
      parameters: [...params, ...query],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input' }) } } } } : {}),
      responses: {
        [status]: {
          description: status === '204' ? 'Done' : 'OK',
          ...(r.response ? { content: { 'application/json': { schema: z.toJSONSchema(r.response, { io: 'output' }) } } } : {}),
        },
        400: problem, 401: problem, 403: problem, 404: problem, 409: problem,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tulity products', version: '1.0.0', description: 'Catalogue (categories, units, products, unit levels, prices) and stock ledger. Money in integer minor units; stock in base units.' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code', 'detail'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
