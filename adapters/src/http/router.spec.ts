import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLogger } from '../logger';
import { createMetrics, type Metrics } from '../metrics';
import { createHttpApp } from './app';
import { Router } from './router';
import { listen, type RunningServer } from './server';

describe('router', () => {
  let server: RunningServer;
  let metrics: Metrics;
  const seen: string[] = [];

  beforeAll(async () => {
    const items = new Router({ prefix: '/api/v1' })
      .get('/items/:id/parts/:part', (ctx) => {
        ctx.body = { params: ctx.params };
      })
      .get('/items/special', (ctx) => {
        ctx.body = { route: 'special' };
      })
      .get('/items/:id', (ctx) => {
        ctx.body = { params: ctx.params };
      })
      .get('/items', (ctx) => {
        ctx.body = { route: 'list' };
      })
      .post('/items', (ctx) => {
        ctx.status = 201;
        ctx.body = { route: 'create' };
      });
    const guarded = new Router({ prefix: '/guarded' })
      .get('/open', (ctx) => {
        ctx.body = { guard: seen.length };
      })
      .use(async (ctx, next) => {
        seen.push(ctx.path);
        await next();
      })
      .get('/shut', (ctx) => {
        ctx.body = { guard: seen.length };
      });
    // Declared after a parameter route that also matches it: the parameter route wins.
    const late = new Router({ prefix: '/api/v1' }).get('/items/late', (ctx) => {
      ctx.body = { route: 'late' };
    });
    const everything = new Router().get(/^\/pages\/.*$/, (ctx) => {
      ctx.body = { route: 'pages' };
    });
    metrics = createMetrics('test');
    const app = createHttpApp({
      service: 'test',
      logger: createLogger('test'),
      metrics,
      routers: [items, guarded, late, everything],
    });
    server = await listen(app, 0);
  });
  afterAll(() => server.close());

  const send = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server.port}${path}`, { method });
  const json = async (path: string, method = 'GET') => {
    const answer = await send(path, method);
    return { status: answer.status, body: answer.status === 204 ? null : await answer.json() };
  };

  test('finds a path by its text and one with parameters by its pattern, the parameters decoded', async () => {
    expect(await json('/api/v1/items')).toEqual({ status: 200, body: { route: 'list' } });
    expect(await json('/api/v1/items/special')).toEqual({ status: 200, body: { route: 'special' } });
    expect(await json('/api/v1/items/a%20b')).toEqual({ status: 200, body: { params: { id: 'a b' } } });
    expect(await json('/api/v1/items/7/parts/x')).toEqual({ status: 200, body: { params: { id: '7', part: 'x' } } });
    // Not valid percent-encoding: handed on as sent, for the route's own check to refuse.
    expect(await json('/api/v1/items/%E0%A4%A')).toEqual({ status: 200, body: { params: { id: '%E0%A4%A' } } });
    expect(await json('/pages/any/depth')).toEqual({ status: 200, body: { route: 'pages' } });
  });

  test('ignores the case of a path and one trailing slash, as @koa/router did', async () => {
    expect(await json('/API/V1/Items/')).toEqual({ status: 200, body: { route: 'list' } });
    expect(await json('/api/v1/ITEMS/9/')).toEqual({ status: 200, body: { params: { id: '9' } } });
    expect((await send('/api/v1/items//')).status).toBe(404);
  });

  test('the first route declared wins, whether it has parameters or not', async () => {
    expect(await json('/api/v1/items/late')).toEqual({ status: 200, body: { params: { id: 'late' } } });
    expect(await json('/api/v1/items/special')).toEqual({ status: 200, body: { route: 'special' } });
  });

  test('middleware given to use runs for the routes declared after it, not before', async () => {
    seen.length = 0;
    expect(await json('/guarded/open')).toEqual({ status: 200, body: { guard: 0 } });
    expect(await json('/guarded/shut')).toEqual({ status: 200, body: { guard: 1 } });
    expect(seen).toEqual(['/guarded/shut']);
  });

  test('HEAD is served by GET; another method is a 405 naming the allowed ones; OPTIONS lists them', async () => {
    const head = await send('/api/v1/items', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const put = await send('/api/v1/items', 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('HEAD, GET, POST');
    expect(await put.json()).toMatchObject({ code: 'ROUTE.METHOD_NOT_ALLOWED' });
    expect((await send('/api/v1/items/7', 'DELETE')).headers.get('allow')).toBe('HEAD, GET');
    const options = await send('/api/v1/items', 'OPTIONS');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('HEAD, GET, POST');
    expect((await send('/api/v1/nowhere', 'OPTIONS')).status).toBe(404);
  });

  test('an unknown path is a 404; the metrics name each request by its route as declared', async () => {
    expect(await json('/api/v1/nowhere')).toMatchObject({ status: 404, body: { code: 'ROUTE.NOT_FOUND' } });
    await json('/api/v1/items/42');
    await json('/health/live');
    const routes = (await metrics.httpDuration.get()).values.map((value) => value.labels.route);
    expect(routes).toEqual(expect.arrayContaining(['/api/v1/items/:id', '/health/live', 'unmatched']));
  });
});
