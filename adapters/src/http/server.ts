import http from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';

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
export async function listen(app: Koa<any>, port: number, host = process.env.HOST ?? '127.0.0.1'): Promise<RunningServer> {
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 5000;
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
