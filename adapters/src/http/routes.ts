// A route is declared once: its zod schemas validate the request and document it in OpenAPI,
// and its access rule guards it. Use cases' Failures become problems through one table
// (./problems.ts); path parameters are ids (UUIDs) unless a route says otherwise.
import type Koa from 'koa';
import { z } from 'zod';
import type { Authenticator, Role } from '../auth/authenticator';
import { authenticate, requireRole, type AuthState } from '../auth/middleware';
import type { AppState } from './app';
import { ProblemError } from './problem';
import { toProblem } from './problems';
import { Router, type RouteContext } from './router';
import { parseInput } from './validation';

export type RouteState = AppState & AuthState;
export type Ctx = Koa.ParameterizedContext<RouteState, RouteContext>;

/** `public`: no token; `any-role`: any valid token; a role list: a valid token with one of them. */
export type Access = 'public' | 'any-role' | Role[];

export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Below /api/v1, with `:name` parameters. */
  path: string;
  /** camelCase verb + noun (`listProducts`), unique in the service: generated clients name their calls by it. */
  operationId: string;
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
  /** The response's media type when it is not JSON (e.g. text/event-stream); `response` is its schema. */
  responseType?: string;
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
/** The default path parameters: every `:name` of the path is a UUID. */
export const idParams = (r: Route): z.ZodType<Record<string, string>> =>
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

/** Who may call a route: its own `access`, else the router's default, else any role. */
export const accessOf = (r: Route, options: Pick<RouterOptions, 'defaultAccess'>): Access =>
  r.access ?? options.defaultAccess?.(r) ?? 'any-role';

/**
 * Throws at start when an operationId is missing, not camelCase or used twice: a generated client
 * would otherwise lose or rename a call.
 */
export function checkOperationIds(operationIds: readonly unknown[]): void {
  const seen = new Set<unknown>();
  for (const id of operationIds) {
    if (typeof id !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(id)) {
      throw new Error(`operationId ${JSON.stringify(id)} must be a camelCase verb + noun, e.g. listProducts`);
    }
    if (seen.has(id)) throw new Error(`operationId ${id} is used by two operations`);
    seen.add(id);
  }
}

export function buildRouter(routes: Route[], options: RouterOptions): Router<RouteState> {
  checkOperationIds(routes.map((r) => r.operationId));
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
