// Composition root of the web client: serves the browser app and routes /api/v1/* to the
// owning service, so the browser talks to one origin.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { setting } from '@tulity/adapters/config';
import { createHttpApp } from '@tulity/adapters/http/app';
import { listen, onShutdown } from '@tulity/adapters/http/server';
import { createLogger, type Logger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import { apiProxy, defaultLimits, type ProxyLimits } from './proxy';

const service = 'web';
const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

export interface Deps {
  logger: Logger;
  metrics: Metrics;
  serviceUrls: Record<string, string>;
  /** Bounds of what the proxy forwards; tests lower them. */
  proxyLimits?: ProxyLimits;
}

export function buildApp({ logger, metrics, serviceUrls, proxyLimits = defaultLimits }: Deps) {
  const pages = new Router();
  pages.get('/', async (ctx) => {
    ctx.type = 'html';
    ctx.body = await fs.readFile(path.join(publicDir, 'index.html'));
  });
  return createHttpApp({
    service,
    logger,
    metrics,
    beforeBody: [apiProxy(serviceUrls, proxyLimits)],
    routers: [pages],
  });
}

async function main() {
  const logger = createLogger(service);
  const serviceUrls = JSON.parse(
    setting(
      'TULITY_SERVICE_URLS',
      JSON.stringify({
        accounts: 'http://127.0.0.1:8011',
        notifications: 'http://127.0.0.1:8012',
        products: 'http://127.0.0.1:8013',
        transactions: 'http://127.0.0.1:8014',
      }),
    ),
  ) as Record<string, string>;
  const app = buildApp({ logger, metrics: createMetrics(service), serviceUrls });
  const server = await listen(app, Number(setting('PORT', '8001')));
  logger.info({ port: server.port }, 'web listening');
  onShutdown(logger, [server.close]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
