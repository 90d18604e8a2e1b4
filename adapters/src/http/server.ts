import http from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { ProblemError, problemBody } from './problem';

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then runs the closers. */
  close(): Promise<void>;
}

/**
 * Listens on `port` (0 picks a free one) and returns once the server accepts connections.
 * Loopback unless HOST says otherwise (containers set HOST=0.0.0.0).
 */
export async function listen(
  app: Koa<any>,
  port: number,
  host = process.env.HOST ?? '127.0.0.1',
): Promise<RunningServer> {
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 5000;
  server.on('clientError', answerUnparsable);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actualPort,
    close: () => closeServer(server),
  };
}

/**
 * A request Node cannot parse (a request line or headers over its 16 KiB, malformed HTTP) never
 * reaches the app; it is answered here, as problem+json like every other 4xx, and the connection closed.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ProblemError(431, 'REQUEST.HEADERS_TOO_LARGE', 'The request line and headers are too large.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ProblemError(408, 'REQUEST.TIMEOUT', 'The request did not arrive in time.')
        : new ProblemError(400, 'REQUEST.MALFORMED', 'The request is not well-formed HTTP.');
  const body = JSON.stringify(problemBody(problem));
  socket.end(
    `HTTP/1.1 ${problem.status} ${http.STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

async function closeServer(server: http.Server, graceMs = 5000) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}

/**
 * Graceful shutdown for a service process: on SIGTERM or SIGINT, run the closers in order
 * (HTTP server first, so no new work arrives, then consumers, relay, pools) and exit.
 */
export function onShutdown(logger: Logger, closers: Array<() => Promise<unknown>>) {
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    let code = 0;
    for (const close of closers) {
      try {
        await close();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'error while shutting down');
      }
    }
    logger.flush?.();
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
