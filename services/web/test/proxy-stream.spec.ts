// A notification stream (Server-Sent Events) lives far longer than any answer: through the proxy it
// must stay open past the time an upstream has to start answering, as long as heartbeats keep
// coming, and each event must reach the browser as it is written, not when the stream ends.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHttpApp } from '@tulity/adapters/http/app';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { startHttp, type RunningHttp } from '@tulity/adapters/testing/kit';
import { apiProxy, defaultLimits } from '../src/proxy';

const limits = { ...defaultLimits, responseTimeoutMs: 100, idleTimeoutMs: 400 };
const heartbeatMs = 40;

describe('a stream through the proxy', () => {
  let upstream: http.Server;
  let web: RunningHttp;
  /** Sends one event on the open upstream stream. */
  let sendEvent: (data: string) => void = () => undefined;
  let upstreamClosed: Promise<void>;

  beforeAll(async () => {
    let closed!: () => void;
    upstreamClosed = new Promise((resolve) => (closed = resolve));
    upstream = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 3000\n: connected\n\n');
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
      sendEvent = (data) => res.write(`id: 1\nevent: notification\ndata: ${data}\n\n`);
      req.socket.once('close', () => {
        clearInterval(heartbeat);
        closed();
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    web = await startHttp(
      createHttpApp({
        service: 'web',
        logger: createLogger('web'),
        metrics: createMetrics('web'),
        beforeBody: [apiProxy({ notifications: `http://127.0.0.1:${port}` }, limits)],
      }),
    );
  });
  afterAll(async () => {
    await web.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  test('stays open past the answer timeout while heartbeats come, delivers each event, and ends upstream when the browser leaves', async () => {
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${web.server.port}/api/v1/notifications/stream?ticket=t`, {
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (wanted: string) => {
      while (!received.includes(wanted)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended before "${wanted}"; got ${JSON.stringify(received)}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    // Several heartbeats: the stream has lived well past responseTimeoutMs and idleTimeoutMs together.
    const heartbeatsPastTimeouts = Math.ceil((limits.responseTimeoutMs + limits.idleTimeoutMs) / heartbeatMs) + 2;
    for (let seen = 0; seen < heartbeatsPastTimeouts; seen++) {
      await readUntil(': heartbeat\n\n');
      received = received.slice(received.indexOf(': heartbeat\n\n') + ': heartbeat\n\n'.length);
    }
    sendEvent('{"title":"Sale confirmed"}');
    await readUntil('data: {"title":"Sale confirmed"}\n\n');

    controller.abort();
    await upstreamClosed;
  });
});
