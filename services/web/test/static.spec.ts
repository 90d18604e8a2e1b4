// The built browser app as the web server serves it: caching, the page's security policy, deep
// links, and what is never the app.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { startHttp, type RunningHttp } from '@tulity/adapters/testing/kit';
import { buildApp } from '../src/main';

/** A response's JSON body, loosely typed as tests read it. */
const json = (response: Response): Promise<any> => response.json();

const page = '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head></html>';

function webServing(clientDir: string) {
  return startHttp(
    buildApp({
      logger: createLogger('web'),
      metrics: createMetrics('web'),
      // Nobody listens on port 1: no call here may need a service.
      serviceUrls: { accounts: 'http://127.0.0.1:1', products: 'http://127.0.0.1:1' },
      clientDir,
    }),
  );
}

describe('serving the browser app', () => {
  let root: string;
  let dir: string;
  let web: RunningHttp;
  const get = (target: string, method = 'GET') => fetch(`${web.url}${target}`, { method });

  beforeAll(async () => {
    // The build sits in its own folder, with a file beside it no request may reach.
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tulity-client-'));
    dir = path.join(root, 'client');
    await fs.mkdir(path.join(dir, 'assets'), { recursive: true });
    await fs.writeFile(path.join(root, 'secret.txt'), 'outside the build');
    await fs.writeFile(path.join(dir, 'index.html'), page);
    await fs.writeFile(path.join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("app")');
    await fs.writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    web = await webServing(dir);
  });
  afterAll(async () => {
    await web?.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  test('hashed assets are cached for a year as immutable', async () => {
    const response = await get('/assets/app-1a2b3c.js');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('console.log("app")');
  });

  test('the page is revalidated on every load and carries a strict policy and the usual headers', async () => {
    const response = await get('/');
    const policy = response.headers.get('content-security-policy') ?? '';

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(page);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    for (const directive of ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  test('a deep link gets the page, so a reload stays where it was', async () => {
    for (const target of ['/products/3f1c', '/sales?status=pending', '/users/new', '/system']) {
      const response = await get(target);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(page);
    }
  });

  test('HEAD answers the headers without a body', async () => {
    const asset = await get('/assets/app-1a2b3c.js', 'HEAD');
    const index = await get('/products', 'HEAD');

    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-length')).toBe(String('console.log("app")'.length));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-length')).toBe(String(page.length));
  });

  test('unknown assets and files are 404s, never the page', async () => {
    for (const target of [
      '/assets/missing-0000.js',
      '/assets/app-1a2b3c.js.map',
      '/assets/..%2fsecret.txt',
      '/assets/sub/app-1a2b3c.js',
      '/robots.txt',
      '/products/logo.png',
      '/..%2f..%2fsecret.txt',
    ]) {
      const response = await get(target);
      expect({ target, status: response.status }).toEqual({ target, status: 404 });
      expect(await response.text()).not.toBe(page);
    }
    expect((await get('/favicon.svg')).status).toBe(200);
  });

  test('the server’s own paths stay its own: unknown ones are problems, not the page', async () => {
    for (const target of ['/api/v1/nothing', '/session/nothing', '/system/nothing', '/health/nothing']) {
      const response = await get(target);
      expect({ target, status: response.status }).toEqual({ target, status: 404 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const proxied = await get('/api/v1/products');
    expect(proxied.status).toBe(503);
    expect((await json(proxied)).code).toBe('UPSTREAM.UNAVAILABLE');
  });

  test('without a build, pages say how to build the client', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'tulity-unbuilt-'));
    const unbuilt = await webServing(empty);
    try {
      const response = await fetch(`${unbuilt.url}/products`);
      const text = await response.text();

      expect(response.status).toBe(503);
      expect(text).toContain('not built');
      expect(text).toContain('npm run build -w @tulity/web');
    } finally {
      await unbuilt.close();
      await fs.rm(empty, { recursive: true, force: true });
    }
  });
});
