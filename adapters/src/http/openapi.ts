// The OpenAPI 3.1 document of a service, from the declarations that route and validate its
// requests (./routes.ts), the endpoints every app serves (./app.ts) and any a service mounts
// outside its route table. It reads declarations, never handlers, so it is built the same way
// by a running service and offline (`npm run openapi:generate`).
import { z } from 'zod';
import { roles } from '../core/actor';
import { accessOf, checkOperationIds, idParams, type Route, type RouterOptions } from './routes';

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

/** The RFC 9457 problem a route answers with `status`. */
export const problemResponse = (status: number) => ({
  description: problemDescriptions[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** A response whose body `schema` describes, as JSON unless `mediaType` says otherwise. */
export const bodyResponse = (description: string, schema: z.ZodType, mediaType = 'application/json') => ({
  description,
  content: { [mediaType]: { schema: z.toJSONSchema(schema, { io: 'output' }) } },
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

/** An endpoint served outside the route table, documented like a route. */
export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** The whole path, e.g. `/internal/alertmanager`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The security scheme it requires, or null when anyone may call it. */
  security: string | null;
  body?: z.ZodType;
  /** By status: `bodyResponse(…)`, `problemResponse(…)` or a plain OpenAPI response. */
  responses: Record<number, object>;
}

export interface OpenApiOptions extends Pick<RouterOptions, 'defaultAccess'> {
  title: string;
  description: string;
  /** Every tag the service's operations use, with what it groups (generators and readers show it). */
  tags: Record<string, string>;
  /** Problem statuses every route of the service can answer, e.g. 404 and 409. */
  commonProblems?: number[];
  /** Endpoints the service mounts outside its route table. */
  endpoints?: Endpoint[];
  /** Security schemes those endpoints require, besides `bearer` (the access token). */
  securitySchemes?: Record<string, object>;
}

/**
 * Stands in for what a route table's handlers close over (use cases, a stream hub, settings) when
 * only its declarations are read, as for the offline document: any use of it throws, so it can
 * never serve a request.
 */
export function declarationsOnly<T>(what: string): T {
  return new Proxy(
    {},
    {
      get: (_, key) => {
        throw new Error(`${what}.${String(key)} is not wired: these routes are only declared, for the document`);
      },
    },
  ) as T;
}

// The project is private (package.json) and has no licence file: say so rather than invent one.
// `LicenseRef-` is SPDX's form for terms of one's own, which tools read as "not open source".
const license = { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-Proprietary' };

const serviceTag = {
  name: 'service',
  description: 'Health, metrics and this document: for probes, Prometheus and tools',
};
/** Any endpoint answers 400 to a query string holding control characters (app.ts). */
const badQuery = { 400: problemResponse(400) };
const liveness = z.object({ status: z.literal('ok'), service: z.string() });
const readiness = z.object({
  status: z.enum(['ok', 'unavailable']),
  service: z.string(),
  checks: z.record(
    z.string(),
    z.union([z.object({ status: z.literal('ok') }), z.object({ status: z.literal('failing'), reason: z.string() })]),
  ),
});

/** What `createHttpApp` serves in every service. */
const builtIns: Endpoint[] = [
  {
    method: 'get',
    path: '/health/live',
    operationId: 'getLiveness',
    summary: 'The process answers',
    tag: serviceTag.name,
    security: null,
    responses: { 200: bodyResponse('Alive', liveness), ...badQuery },
  },
  {
    method: 'get',
    path: '/health/ready',
    operationId: 'getReadiness',
    summary: 'The database and Kafka answer',
    tag: serviceTag.name,
    security: null,
    responses: {
      200: bodyResponse('Ready', readiness),
      503: bodyResponse('A dependency does not answer: see checks', readiness),
      ...badQuery,
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    tag: serviceTag.name,
    security: null,
    responses: { 200: bodyResponse('The text exposition format', z.string(), 'text/plain'), ...badQuery },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: serviceTag.name,
    security: null,
    responses: {
      200: { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
      ...badQuery,
    },
  },
];

const inputSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, object> };

function routeOperation(r: Route, options: OpenApiOptions) {
  const access = accessOf(r, options);
  const pathSchemas = inputSchema(r.params ?? idParams(r)).properties ?? {};
  const params = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: pathSchemas[name!] ?? { type: 'string' },
  }));
  const query = r.query
    ? Object.entries(inputSchema(r.query).properties ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }))
    : [];
  const status = String(r.status ?? 200);
  const problems = [
    400,
    ...(access === 'public' ? [] : [401, 403]),
    ...(options.commonProblems ?? []),
    ...(r.problems ?? []),
    ...(r.body ? [413, 415] : []),
  ];
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    ...(access === 'public'
      ? { security: [] }
      : { security: [{ bearer: [] }], 'x-roles': access === 'any-role' ? [...roles] : access }),
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
      [status]: r.response
        ? bodyResponse(status === '204' ? 'Done' : 'OK', r.response, r.responseType)
        : { description: status === '204' ? 'Done' : 'OK' },
      ...Object.fromEntries([...new Set(problems)].sort().map((s) => [String(s), problemResponse(s)])),
    },
  };
}

function endpointOperation(e: Endpoint) {
  return {
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    security: e.security ? [{ [e.security]: [] }] : [],
    ...(e.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: z.toJSONSchema(e.body, { io: 'input' }) } },
          },
        }
      : {}),
    responses: e.responses,
  };
}

/**
 * The OpenAPI 3.1 document of a service. Throws, so the service does not start, when an
 * operationId is missing or repeated, or a tag is used without a description or described unused.
 */
export function openApiDocument(routes: Route[], options: OpenApiOptions): object {
  const endpoints = [...(options.endpoints ?? []), ...builtIns];
  checkOperationIds([...routes.map((r) => r.operationId), ...endpoints.map((e) => e.operationId)]);
  const tags = { ...options.tags, [serviceTag.name]: serviceTag.description };
  const used = new Set([...routes.map((r) => r.tag), ...endpoints.map((e) => e.tag)]);
  for (const tag of used) if (!tags[tag]) throw new Error(`OpenAPI tag ${tag} has no description`);
  for (const tag of Object.keys(tags))
    if (!used.has(tag)) throw new Error(`OpenAPI tag ${tag} is used by no operation`);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    (paths[`/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`] ??= {})[r.method] = routeOperation(r, options);
  }
  for (const e of endpoints) (paths[e.path] ??= {})[e.method] = endpointOperation(e);
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', description: options.description, license },
    // Relative: the API answers where the document was read, on the service itself or on the web
    // server's origin, which forwards /api/v1.
    servers: [{ url: '/', description: 'Where this document was read' }],
    tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from accounts' },
        ...options.securitySchemes,
      },
      schemas: { Problem: problemSchema },
    },
  };
}
