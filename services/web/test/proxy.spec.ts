import http from 'node:http';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { listen, type RunningServer } from '@tulity/adapters/http/server';
import { buildApp } from '../src/main';
import { ownerOf } from '../src/routes';

describe('web client routing', () => {
  let upstream: http.Server;
  let upstreamPort: number;
  let web: RunningServer;
  const seen: Array<{
    method: string;
    url: string;
    body: string;
    requestId: string | undefined;
    forwardedFor?: string;
  }> = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          body,
          requestId: req.headers['x-request-id'] as string,
          forwardedFor: req.headers['x-forwarded-for'] as string,
        });
        res.writeHead(201, { 'content-type': 'application/json', 'x-owner': 'products' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as { port: number }).port;
    web = await listen(
      buildApp({
        logger: createLogger('web'),
        metrics: createMetrics('web'),
        // accounts points at a port nobody listens on: its calls must fail cleanly.
        serviceUrls: { products: `http://127.0.0.1:${upstreamPort}`, accounts: 'http://127.0.0.1:1' },
      }),
      0,
    );
  });
  afterAll(async () => {
    await web.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  test('each resource belongs to the service that owns it', () => {
    assert.equal(ownerOf('/api/v1/products/7/stock'), 'products');
    assert.equal(ownerOf('/api/v1/units'), 'products');
    assert.equal(ownerOf('/api/v1/auth/login'), 'accounts');
    assert.equal(ownerOf('/api/v1/sales/3/cancel'), 'transactions');
    assert.equal(ownerOf('/api/v1/notifications/stream'), 'notifications');
    assert.equal(ownerOf('/api/v1/unknown'), undefined);
    assert.equal(ownerOf('/api/v2/products'), undefined);
  });

  test('an API call is forwarded with its method, path, query, body and request id', async () => {
    const response = await fetch(`http://127.0.0.1:${web.port}/api/v1/products/7/prices?page=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'web-req-1' },
      body: JSON.stringify({ sell: 1200 }),
    });

    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-owner'), 'products');
    expect(await response.json()).toEqual({ ok: true });
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/api/v1/products/7/prices?page=2',
      body: '{"sell":1200}',
      requestId: 'web-req-1',
      forwardedFor: '127.0.0.1',
    });
  });

  test("the client's address is appended to X-Forwarded-For, so a forged entry never comes last", async () => {
    await fetch(`http://127.0.0.1:${web.port}/api/v1/products`, { headers: { 'x-forwarded-for': '203.0.113.9' } });

    assert.equal(seen.at(-1)?.forwardedFor, '203.0.113.9, 127.0.0.1');
  });

  test('a resource no service owns is a problem+json 404', async () => {
    const response = await fetch(`http://127.0.0.1:${web.port}/api/v1/unknown`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { code: string }).code, 'ROUTE.NOT_FOUND');
  });

  test('a service that does not answer is a 503 with Retry-After', async () => {
    const response = await fetch(`http://127.0.0.1:${web.port}/api/v1/auth/me`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal(((await response.json()) as { code: string }).code, 'UPSTREAM.UNAVAILABLE');
  });

  test('the browser app is served at /', async () => {
    const response = await fetch(`http://127.0.0.1:${web.port}/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<title>Tulity Retail<\/title>/);
  });
});
