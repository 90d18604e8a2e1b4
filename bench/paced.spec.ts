import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { paced } from './paced';

/** A local server that answers 201, or 503 to a body that asks for it, and notes when each request arrived. */
const arrivals: Array<{ at: number; body: string }> = [];
const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    arrivals.push({ at: performance.now(), body });
    response.statusCode = body.includes('fail') ? 503 : 201;
    response.end('{}');
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/purchases`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('paced requests', () => {
  test('leave one every 1/rate s across the run, not a second’s worth at once', async () => {
    arrivals.length = 0;
    let n = 0;
    const figures = await paced(
      {
        name: 'paced',
        kind: 'write',
        method: 'POST',
        url,
        vary: (request) => ({ ...request, body: JSON.stringify({ n: ++n }) }),
      },
      { rate: 50, seconds: 1, connections: 32 },
    );
    expect(figures).toMatchObject({ requests: 50, non2xx: 0, errors: 0 });
    expect(new Set(arrivals.map((a) => a.body)).size).toBe(50);
    // Fifty requests over a second: the first tenth of it holds about five, the last ones arrive
    // near its end. A burst would bring all fifty in the first few milliseconds.
    const first = arrivals[0]!.at;
    expect(arrivals.filter((a) => a.at - first < 100).length).toBeLessThanOrEqual(10);
    expect(arrivals.at(-1)!.at - first).toBeGreaterThan(800);
  });

  test('counts answers outside 2xx and requests that found no server', async () => {
    const failing = await paced(
      { name: 'failing', kind: 'write', method: 'POST', url, vary: (request) => ({ ...request, body: 'fail' }) },
      { rate: 100, seconds: 0.1, connections: 4 },
    );
    expect(failing).toMatchObject({ requests: 10, non2xx: 10, errors: 0 });
    const nobody = await paced(
      { name: 'nobody', kind: 'write', url: 'http://127.0.0.1:9/' },
      { rate: 100, seconds: 0.05, connections: 4 },
    );
    expect(nobody).toMatchObject({ requests: 0, errors: 5 });
  });
});
