// A route is declared once: its zod schemas validate the request and document it in OpenAPI,
// and its access rule guards it. Use cases' Failures become problems through one table
// (./problems.ts); path parameters are ids (UUIDs) unless a route says otherwise.
import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import type { Authenticator, Role } from '../auth/authenticator';
import { authenticate, requireRole, type AuthState } from '../auth/middleware';
import type { AppState } from './app';
import { ProblemError } from './problem';
import { toProblem } from './problems';
import { parseInput } from './validation';

export type RouteState = AppState & AuthState;
export type Ctx = Koa.ParameterizedContext<RouteState, Router.RouterParamContext<RouteState>>;

/** `public`: no token; `any-role`: any valid token; a role list: a valid token with one of them. */
export type Access = 'public' | 'any-role' | Role[];

export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Below /api/v1, with `:name` parameters. */
  path: string;
  summary: string;
  tag: string;
  /** Defaults to the router's `defaultAccess` for the route. */
  access?: Access;
  body?: B;
  query?: Q;
  /** Path parameters; by default every `:name` must be a UUID, and anything else is a 404. */
  params?: z.ZodType<Record<string, string>>;
  /** The response body's shape, documented in OpenAPI. */
  response?: z.ZodType;
  /** 201 for creations, 204 for no content; 200 otherwise. */
  status?: number;
  /** Problem statuses this route can answer besides the ones every route has, for the document. */
  problems?: number[];
  handle(input: { params: Record<string, string>; body: z.infer<B>; query: z.infer<Q>; ctx: Ctx }): Promise<unknown>;
}

/** Keeps each route's body and query types while a list holds routes of different shapes. */
export const route = <B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(r: Route<B, Q>) =>
  r as unknown as Route;

export interface RouterOptions {
  authenticator: Authenticator;
  /** Access of routes that do not say: e.g. readers for GET, writers otherwise. */
  defaultAccess?: (route: Route) => Access;
}

const uuid = z.uuid();
const idParams = (r: Route): z.ZodType<Record<string, string>> =>
  z.object(Object.fromEntries([...r.path.matchAll(/:(\w+)/g)].map(([, name]) => [name!, uuid])));

function parseParams(
  schema: z.ZodType<Record<string, string>>,
  params: Record<string, string>,
): Record<string, string> {
  const result = schema.safeParse(params);
  // A malformed id names nothing that exists: 404, the same answer as a well-formed unknown id.
  if (!result.success) throw new ProblemError(404, 'REQUEST.NOT_FOUND', 'There is no such resource.');
  return result.data;
}

const accessOf = (r: Route, options: Pick<RouterOptions, 'defaultAccess'>): Access =>
  r.access ?? options.defaultAccess?.(r) ?? 'any-role';

export function buildRouter(routes: Route[], options: RouterOptions): Router<RouteState> {
  const router = new Router<RouteState>({ prefix: '/api/v1' });
  const authenticated = authenticate(options.authenticator);
  for (const r of routes) {
    const access = accessOf(r, options);
    const guards =
      access === 'public' ? [] : [authenticated, ...(access === 'any-role' ? [] : [requireRole(...access)])];
    const paramsSchema = r.params ?? idParams(r);
    router[r.method](r.path, ...guards, async (ctx) => {
      try {
        const params = parseParams(paramsSchema, ctx.params);
        // An absent body is checked like an empty object, so it is answered field by field too.
        const body = r.body ? parseInput(r.body, ctx.state.body === undefined ? {} : ctx.state.body) : undefined;
        const query = r.query ? parseInput(r.query, ctx.query, 'query') : undefined;
        const result = await r.handle({ params, body, query, ctx });
        ctx.status = r.status ?? 200;
        if (ctx.status !== 204) ctx.body = result;
      } catch (error) {
        throw toProblem(error);
      }
    });
  }
  return router;
}

const problemDescriptions: Record<number, string> = {
  400: 'Invalid input, with one entry per field',
  401: 'No valid access token',
  403: 'The role or user may not do this',
  404: 'No such resource',
  409: 'Conflicts with the stored state',
  422: 'Well-formed, but names something that cannot be used',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Too many attempts; see Retry-After',
};
const problemResponse = (status: number) => ({
  description: problemDescriptions[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

export interface OpenApiOptions extends Pick<RouterOptions, 'defaultAccess'> {
  title: string;
  description: string;
  /** Problem statuses every route of the service can answer, e.g. 404 and 409. */
  commonProblems?: number[];
}

/** The OpenAPI 3.1 document of a service, from the same schemas that validate its requests. */
export function openApiDocument(routes: Route[], options: OpenApiOptions): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const access = accessOf(r, options);
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const pathSchemas =
      (z.toJSONSchema(r.params ?? idParams(r), { io: 'input' }) as { properties?: Record<string, object> })
        .properties ?? {};
    const params = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: pathSchemas[name!] ?? { type: 'string' },
    }));
    const query = r.query
      ? Object.entries(
          (z.toJSONSchema(r.query, { io: 'input' }) as { properties?: Record<string, object> }).properties ?? {},
        ).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
      : [];
    const status = String(r.status ?? 200);
    const problems = [
      400,
      ...(access === 'public' ? [] : [401, 403]),
      ...(options.commonProblems ?? []),
      ...(r.problems ?? []),
      ...(r.body ? [413, 415] : []),
    ];
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(access === 'public'
        ? { security: [] }
        : { security: [{ bearer: [] }], 'x-roles': access === 'any-role' ? ['admin', 'manager', 'cashier'] : access }),
      parameters: [...params, ...query],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input' }) } },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: status === '204' ? 'Done' : 'OK',
          ...(r.response
            ? { content: { 'application/json': { schema: z.toJSONSchema(r.response, { io: 'output' }) } } }
            : {}),
        },
        ...Object.fromEntries([...new Set(problems)].sort().map((s) => [String(s), problemResponse(s)])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', description: options.description },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problemSchema },
    },
  };
}
