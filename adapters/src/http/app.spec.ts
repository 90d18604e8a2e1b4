import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import Router from '@koa/router';
import { z } from 'zod';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { createHttpApp } from './app';
import { ProblemError } from './problem';
import { listen, type RunningServer } from './server';
import { parseInput } from './validation';

const widget = z.strictObject({ name: z.string().min(1), size: z.number().int().positive() });

function buildTestApp(ready: { database: boolean }) {
  const router = new Router();
  router.post('/api/v1/widgets', (ctx) => {
    const input = parseInput(widget, ctx.state.body);
    ctx.status = 201;
    ctx.body = input;
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
    bodyLimit: 1024,
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
    assert.equal(response.status, status);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.code, code);
    assert.equal(body.status, status);
    assert.equal(typeof body.detail, 'string');
    return body;
  }

  test('valid input is parsed and answered', async () => {
    const response = await post('/api/v1/widgets', JSON.stringify({ name: 'bolt', size: 3 }));
    assert.equal(response.status, 201);
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
    const huge = JSON.stringify({ name: 'x'.repeat(5000), size: 1 });
    await expectProblem(await post('/api/v1/widgets', huge), 413, 'REQUEST.TOO_LARGE');
  });

  test('a body that is not JSON is a 415', async () => {
    await expectProblem(await post('/api/v1/widgets', 'name=bolt', 'application/x-www-form-urlencoded'), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  test('domain errors keep their stable code; unknown routes are problem+json 404s', async () => {
    await expectProblem(await fetch(`${base}/api/v1/widgets/7`), 404, 'WIDGET.NOT_FOUND');
    await expectProblem(await fetch(`${base}/api/v1/nothing-here`), 404, 'ROUTE.NOT_FOUND');
    await expectProblem(await fetch(`${base}/api/v1/widgets`, { method: 'PUT' }), 405, 'ROUTE.METHOD_NOT_ALLOWED');
  });

  test('an unexpected error is a 500 that does not leak its message', async () => {
    const response = await fetch(`${base}/api/v1/crash`);
    const body = await expectProblem(response, 500, 'INTERNAL');
    assert.doesNotMatch(JSON.stringify(body), /secret/);
  });

  test('the request id is echoed, or made when missing or unsafe', async () => {
    const echoed = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'req-42' } });
    assert.equal(echoed.headers.get('x-request-id'), 'req-42');
    const made = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('readiness reports each dependency and fails when one does', async () => {
    const ok = await fetch(`${base}/health/ready`);
    assert.equal(ok.status, 200);
    ready.database = false;
    try {
      const failing = await fetch(`${base}/health/ready`);
      assert.equal(failing.status, 503);
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
    assert.match(metrics, /http_request_duration_seconds_count\{service="test",method="GET",route="\/api\/v1\/widgets\/:id",status="404"\} \d+/);
    assert.doesNotMatch(metrics, /route="\/api\/v1\/widgets\/123"/);
    assert.match(metrics, /process_cpu_user_seconds_total/);
  });
});
