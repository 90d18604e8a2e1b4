import { beforeAll, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { createTestIssuer } from '../auth/testing';
import type { Authenticator } from '../auth/authenticator';
import { declarationsOnly, openApiDocument, type OpenApiOptions } from './openapi';
import { buildRouter, route, type Route } from './routes';

interface Widgets {
  list(): Promise<string[]>;
}

const widgetRoutes = (widgets: Widgets): Route[] => [
  route({
    method: 'get',
    path: '/widgets',
    operationId: 'listWidgets',
    tag: 'widgets',
    summary: 'List widgets',
    response: z.array(z.string()),
    handle: () => widgets.list(),
  }),
  route({
    method: 'post',
    path: '/widgets/:id/polish',
    operationId: 'polishWidget',
    tag: 'widgets',
    summary: 'Polish a widget',
    access: ['admin'],
    body: z.strictObject({ shine: z.number().int() }),
    status: 204,
    handle: async () => undefined,
  }),
];

const options: OpenApiOptions = { title: 'Widgets', description: 'Widgets for tests', tags: { widgets: 'Widgets' } };

interface Document {
  servers: { url: string }[];
  info: { license: { name: string; identifier: string } };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, { operationId: string; security: unknown[]; 'x-roles'?: string[] }>>;
  components: { securitySchemes: Record<string, unknown> };
}
const documentOf = (routes: Route[], more: Partial<OpenApiOptions> = {}) =>
  openApiDocument(routes, { ...options, ...more }) as Document;

const operationIds = (document: Document) =>
  Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));

describe('the OpenAPI document', () => {
  let authenticator: Authenticator;
  beforeAll(async () => {
    authenticator = (await createTestIssuer()).authenticator();
  });

  test('names every operation: the routes and the endpoints every app serves', () => {
    const document = documentOf(widgetRoutes(declarationsOnly('widgets')));

    expect(operationIds(document).sort()).toEqual([
      'getLiveness',
      'getMetrics',
      'getOpenApiDocument',
      'getReadiness',
      'listWidgets',
      'polishWidget',
    ]);
    expect(document.paths['/api/v1/widgets/{id}/polish']!.post!['x-roles']).toEqual(['admin']);
    expect(document.paths['/health/ready']!.get!.security).toEqual([]);
  });

  test('says where it is served, under what licence, and what each tag groups', () => {
    const document = documentOf(widgetRoutes(declarationsOnly('widgets')));

    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(document.info.license.identifier).toMatch(/^LicenseRef-/);
    expect(document.tags).toEqual([
      { name: 'widgets', description: 'Widgets' },
      { name: 'service', description: expect.any(String) },
    ]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer']);
  });

  test('a route without an operationId does not typecheck and stops the service at start', () => {
    const nameless = route(
      // @ts-expect-error operationId is required: `npm run typecheck` fails when it is not.
      { method: 'get', path: '/gadgets', tag: 'widgets', summary: 'List gadgets', handle: async () => [] },
    );

    expect(() => buildRouter([nameless], { authenticator })).toThrow('operationId undefined must be a camelCase');
    expect(() => documentOf([nameless])).toThrow('operationId undefined must be a camelCase');
  });

  test('an operationId used twice stops the service at start, a built-in one included', () => {
    const [list, polish] = widgetRoutes(declarationsOnly('widgets'));
    const again = { ...polish!, operationId: 'listWidgets' };
    const metrics = { ...polish!, operationId: 'getMetrics' };

    expect(() => buildRouter([list!, again], { authenticator })).toThrow('operationId listWidgets is used by two');
    expect(() => documentOf([list!, again])).toThrow('operationId listWidgets is used by two');
    expect(() => documentOf([list!, metrics])).toThrow('operationId getMetrics is used by two');
  });

  test('an operationId that is not camelCase stops the service at start', () => {
    const [list] = widgetRoutes(declarationsOnly('widgets'));

    expect(() => documentOf([{ ...list!, operationId: 'list-widgets' }])).toThrow('operationId "list-widgets"');
  });

  test('a tag without a description, or described and unused, stops the service at start', () => {
    const routes = widgetRoutes(declarationsOnly('widgets'));

    expect(() => documentOf(routes, { tags: {} })).toThrow('OpenAPI tag widgets has no description');
    expect(() => documentOf(routes, { tags: { widgets: 'Widgets', gadgets: 'Gadgets' } })).toThrow(
      'OpenAPI tag gadgets is used by no operation',
    );
  });

  test('routes declared over nothing document the same as wired ones, and cannot serve', async () => {
    const wired = widgetRoutes({ list: async () => ['cog'] });
    const declared = widgetRoutes(declarationsOnly('widgets'));

    expect(documentOf(declared)).toEqual(documentOf(wired));
    expect(() => declared[0]!.handle({} as Parameters<Route['handle']>[0])).toThrow(
      'widgets.list is not wired: these routes are only declared',
    );
  });
});
