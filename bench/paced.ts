// Requests at a steady rate, one every 1/rate s, for the events stage. autocannon's `overallRate`
// gives each connection its share of a second and resets it every second, so the whole second's
// requests leave together at its start: at 30/s, thirty purchases in the same few milliseconds
// every second, and the end-to-end figure measured that burst's queue rather than the rate.
import http from 'node:http';
import type { RawRequest } from 'autocannon';
import type { Target } from './load';
import type { HttpFigures } from './model';
import { spread } from './stats';

export interface Pace {
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** At most this many in flight; a request due while all are busy waits for one. */
  connections: number;
  /** Abandon a request after this long (counted as an error). */
  timeoutMs?: number;
}

/**
 * Sends `rate × seconds` requests to the target, the i-th due at i/rate s. A request's latency
 * runs from when it was due, not when it left: one that waited for a free connection counts that
 * wait, so a server that falls behind shows in the figures instead of slowing the load.
 */
export async function paced(target: Target, pace: Pace): Promise<HttpFigures> {
  const { origin, pathname, search } = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: pace.connections });
  const total = Math.max(1, Math.round(pace.rate * pace.seconds));
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const sends: Array<Promise<void>> = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / pace.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const request: RawRequest = {
        method: target.method ?? 'GET',
        path: pathname + search,
        headers: { 'content-type': 'application/json', ...target.headers },
      };
      sends.push(
        send(origin, agent, target.vary ? target.vary(request) : request, pace.timeoutMs ?? 10_000).then(
          (status) => {
            latencies.push(performance.now() - due);
            if (status < 200 || status > 299) non2xx += 1;
          },
          () => {
            errors += 1;
          },
        ),
      );
    }
    await Promise.all(sends);
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const { count, p50, p99, max } = spread(latencies);
  return {
    name: target.name,
    kind: target.kind,
    baseline: false,
    requestsPerSecond: count / seconds,
    p50,
    p99,
    max,
    requests: count,
    non2xx,
    errors,
  };
}

/** One request; resolves to its status once the whole answer has been read. */
function send(origin: string, agent: http.Agent, request: RawRequest, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      origin + request.path,
      { method: request.method, headers: request.headers, agent, timeout: timeoutMs },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode ?? 0));
        answer.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
