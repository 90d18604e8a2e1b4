import http from 'node:http';
import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import { Router } from './router';
import pino from 'pino';
import { z } from 'zod';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { createHttpApp, isDatabaseUnavailable, requestLogLevel } from './app';
import { ProblemError } from './problem';
import { listen, type RunningServer } from './server';
import { parseInput } from './validation';

const widget = z.strictObject({ name: z.string().min(1), size: z.number().int().positive() });
const note = z.strictObject({ text: z.string() });

function buildTestApp(ready: { database: boolean }) {
  const router = new Router();
  router.post('/api/v1/widgets', (ctx) => {
    const input = parseInput(widget, ctx.state.body);
    ctx.status = 201;
    ctx.body = input;
  });
  router.get('/api/v1/widgets', (ctx) => {
    ctx.body = { query: ctx.query };
  });
  router.post('/api/v1/notes', (ctx) => {
    ctx.status = 201;
    ctx.body = parseInput(note, ctx.state.body);
  });
  // A route that hands the body on as it is, as a proxy or an audit log would.
  router.post('/api/v1/echo', (ctx) => {
    ctx.body = { received: ctx.state.body };
  });
  router.get('/page', (ctx) => {
    ctx.type = 'html';
    ctx.body = '<!doctype html><title>page</title>';
  });
  router.get('/api/v1/widgets/:id', (ctx) => {
    throw new ProblemError(404, 'WIDGET.NOT_FOUND', `Widget ${ctx.params.id} does not exist.`);
  });
  router.get('/api/v1/crash', () => {
    throw new Error('secret connection string leaked');
  });
  return createHttpApp({
    service: 'test',
    logger: createLogger('test'),
    metrics: createMetrics('test'),
    readiness: {
      database: async () => {
        if (!ready.database) throw new Error('connection refused');
      },
    },
    routers: [router],
    bodyLimit: 64 * 1024,
  });
}

describe('http app factory', () => {
  const ready = { database: true };
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    server = await listen(buildTestApp(ready), 0);
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  async function expectProblem(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.code).toBe(code);
    expect(body.status).toBe(status);
    expect(typeof body.detail).toBe('string');
    return body;
  }

  /** Any method, even those fetch refuses to send (TRACE). */
  function send(method: string, path: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
      const request = http.request(`${base}${path}`, { method, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          const json = /json/.test(response.headers['content-type'] ?? '');
          resolve({ status: response.statusCode!, headers: response.headers, body: json ? JSON.parse(text) : text });
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  test('valid input is parsed and answered', async () => {
    const response = await post('/api/v1/widgets', JSON.stringify({ name: 'bolt', size: 3 }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: 'bolt', size: 3 });
  });

  test('malformed JSON is a 400, not a 500', async () => {
    await expectProblem(await post('/api/v1/widgets', '{"name": "bolt",'), 400, 'REQUEST.MALFORMED_JSON');
  });

  test('wrong types and unknown fields are a 400 with one error per field', async () => {
    const body = await expectProblem(
      await post('/api/v1/widgets', JSON.stringify({ name: '', size: 'big', colour: 'red' })),
      400,
      'REQUEST.INVALID',
    );
    const fields = (body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'name', 'size']);
  });

  test('a body of the wrong shape is a 400', async () => {
    await expectProblem(await post('/api/v1/widgets', '[1, 2, 3]'), 400, 'REQUEST.INVALID');
    await expectProblem(await post('/api/v1/widgets', 'null'), 400, 'REQUEST.INVALID');
  });

  test('a body over the limit is a 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(70_000), size: 1 });
    await expectProblem(await post('/api/v1/widgets', huge), 413, 'REQUEST.TOO_LARGE');
  });

  test('a body that is not JSON is a 415', async () => {
    await expectProblem(
      await post('/api/v1/widgets', 'name=bolt', 'application/x-www-form-urlencoded'),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    );
  });

  test('domain errors keep their stable code; unknown routes are problem+json 404s', async () => {
    await expectProblem(await fetch(`${base}/api/v1/widgets/7`), 404, 'WIDGET.NOT_FOUND');
    await expectProblem(await fetch(`${base}/api/v1/nothing-here`), 404, 'ROUTE.NOT_FOUND');
    await expectProblem(await fetch(`${base}/api/v1/widgets`, { method: 'PUT' }), 405, 'ROUTE.METHOD_NOT_ALLOWED');
  });

  test('an unexpected error is a 500 that does not leak its message', async () => {
    const response = await fetch(`${base}/api/v1/crash`);
    const body = await expectProblem(response, 500, 'INTERNAL');
    expect(JSON.stringify(body)).not.toMatch(/secret/);
  });

  test('the request id is echoed, or made when missing or unsafe', async () => {
    const echoed = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'req-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-42');
    const made = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(made.headers.get('x-request-id') ?? '').toMatch(/^[0-9a-f-]{36}$/);
  });

  test('readiness reports each dependency and fails when one does', async () => {
    const ok = await fetch(`${base}/health/ready`);
    expect(ok.status).toBe(200);
    ready.database = false;
    try {
      const failing = await fetch(`${base}/health/ready`);
      expect(failing.status).toBe(503);
      expect(await failing.json()).toEqual({
        status: 'unavailable',
        service: 'test',
        checks: { database: { status: 'failing', reason: 'connection refused' } },
      });
    } finally {
      ready.database = true;
    }
  });

  test('request durations are recorded by route template, not by raw path', async () => {
    await fetch(`${base}/api/v1/widgets/123`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{service="test",method="GET",route="\/api\/v1\/widgets\/:id",status="404"\} \d+/,
    );
    expect(metrics).not.toMatch(/route="\/api\/v1\/widgets\/123"/);
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);
  });

  test('a control character in any body string or key is a 400 naming the field; tab, newline and CR are text', async () => {
    const nul = await expectProblem(
      await post('/api/v1/widgets', JSON.stringify({ name: 'bo\u0000lt', size: 1 })),
      400,
      'REQUEST.INVALID',
    );
    expect(nul.errors).toEqual([{ field: 'name', message: 'Contains the control character U+0000.' }]);
    const nested = await expectProblem(
      await post('/api/v1/echo', JSON.stringify({ lines: [{ text: 'ok' }, { text: 'bell\u0007' }] })),
      400,
      'REQUEST.INVALID',
    );
    expect(nested.errors).toEqual([{ field: 'lines.1.text', message: 'Contains the control character U+0007.' }]);
    const key = await expectProblem(
      await post('/api/v1/echo', JSON.stringify({ ['na\u001bme']: 'x' })),
      400,
      'REQUEST.INVALID',
    );
    expect(key.errors).toEqual([{ field: 'na\uFFFDme', message: 'Contains the control character U+001B.' }]);

    const text = 'line one\r\nline\ttwo\n';
    const response = await post('/api/v1/notes', JSON.stringify({ text }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ text });
  });

  test('a lone UTF-16 surrogate in a body string is a 400, so nothing is stored other than what was sent', async () => {
    // JSON may escape a lone surrogate; Postgres would store U+FFFD in its place.
    const lone = await expectProblem(
      await post('/api/v1/widgets', '{"name":"bo\\ud83dlt","size":1}'),
      400,
      'REQUEST.INVALID',
    );
    expect(lone.errors).toEqual([
      { field: 'name', message: 'Contains a lone UTF-16 surrogate: not valid Unicode text.' },
    ]);
    const pair = await post('/api/v1/notes', JSON.stringify({ text: 'a \ud83d\ude00 smile' }));
    expect(pair.status).toBe(201);
  });

  test('a control character in a query value or name is a 400 naming the parameter', async () => {
    const value = await expectProblem(await fetch(`${base}/api/v1/widgets?q=bolt%00`), 400, 'REQUEST.INVALID');
    expect(value.errors).toEqual([{ field: 'q', message: 'Contains the control character U+0000.' }]);
    const repeated = await expectProblem(await fetch(`${base}/api/v1/widgets?tag=a&tag=b%01`), 400, 'REQUEST.INVALID');
    expect(repeated.errors).toEqual([{ field: 'tag.1', message: 'Contains the control character U+0001.' }]);
    const name = await expectProblem(await fetch(`${base}/api/v1/widgets?a%02=1`), 400, 'REQUEST.INVALID');
    expect(name.errors).toEqual([{ field: 'a\uFFFD', message: 'Contains the control character U+0002.' }]);

    const clean = await fetch(`${base}/api/v1/widgets?q=bolt%20nut&tag=a&tag=b`);
    expect(clean.status).toBe(200);
    expect(await clean.json()).toEqual({ query: { q: 'bolt nut', tag: ['a', 'b'] } });
  });

  test('a body nested too deep is a 400, never a 500', async () => {
    const depth = 30_000;
    const deep = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const body = await expectProblem(await post('/api/v1/echo', deep), 400, 'REQUEST.TOO_DEEP');
    // The root object is the first level, so the 32nd array inside `a` is the first one too deep.
    expect(body.errors).toEqual([{ field: `a${'.0'.repeat(31)}`, message: 'Nested deeper than 32 levels.' }]);
    const shallow = await post('/api/v1/echo', JSON.stringify({ a: [[[{ b: 1 }]]] }));
    expect(shallow.status).toBe(200);
  });

  test('a method the app does not serve is a problem+json 405 with Allow, never a 5xx', async () => {
    for (const [method, path] of [
      ['TRACE', '/api/v1/widgets'],
      ['PROPFIND', '/api/v1/widgets/7'],
      ['TRACE', '/health/live'],
      ['PROPFIND', '/nowhere'],
    ]) {
      const answer = await send(method!, path!);
      expect({ method, status: answer.status, type: answer.headers['content-type'] }).toEqual({
        method,
        status: 405,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(answer.headers.allow).toMatch(/GET/);
      expect(answer.body).toMatchObject({ status: 405, code: 'REQUEST.METHOD_NOT_ALLOWED' });
    }
  });

  test('every response carries the security headers; API responses forbid everything, pages only framing', async () => {
    const answers = await Promise.all([
      send('GET', '/health/live'),
      send('GET', '/nowhere'),
      send('GET', '/api/v1/crash'),
      send('TRACE', '/health/live'),
    ]);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
      });
    }
    const page = await send('GET', '/page');
    expect(page.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'content-security-policy': "frame-ancestors 'none'",
    });
  });

  test('caches may not store a response to a request with credentials, nor a problem', async () => {
    const anonymous = await send('GET', '/health/live');
    expect(anonymous.headers['cache-control']).toBeUndefined();
    const withToken = await send('GET', '/health/live', { authorization: 'Bearer abc' });
    expect(withToken.headers['cache-control']).toBe('no-store');
    const problem = await send('GET', '/nowhere');
    expect(problem.headers['cache-control']).toBe('no-store');
  });
});

test('a database that is away is told apart from a bug or a refused write', () => {
  const away = [
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }),
    Object.assign(new Error('Timeout acquiring a connection. The pool is probably full.'), {
      name: 'KnexTimeoutError',
    }),
    new Error('Connection terminated unexpectedly'),
  ];
  const broken = [
    Object.assign(new Error('duplicate key value'), { code: '23505' }),
    Object.assign(new Error('protocol violation'), { code: '08P01' }),
    new Error('undefined is not a function'),
    undefined,
  ];
  expect(away.map(isDatabaseUnavailable)).toEqual(away.map(() => true));
  expect(broken.map(isDatabaseUnavailable)).toEqual(broken.map(() => false));
});

describe('request log', () => {
  test('a quick success is logged only at debug; a failure and a slow success at info or above', () => {
    expect(requestLogLevel(200, 3)).toBe('debug');
    expect(requestLogLevel(304, 3)).toBe('debug');
    expect(requestLogLevel(200, 500)).toBe('info');
    expect(requestLogLevel(404, 1)).toBe('info');
    expect(requestLogLevel(503, 1)).toBe('error');
  });

  test('at info, a busy service writes no line for its quick successes but one for each failure', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const router = new Router().get('/api/v1/ok', (ctx) => {
      ctx.body = { ok: true };
    });
    const server = await listen(
      createHttpApp({ service: 'test', logger, metrics: createMetrics('test'), routers: [router] }),
      0,
    );
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(`http://127.0.0.1:${server.port}/api/v1/ok`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${server.port}/api/v1/missing`)).status).toBe(404);
    } finally {
      await server.close();
    }
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests).toEqual([expect.objectContaining({ path: '/api/v1/missing', status: 404 })]);
  });
});
