// Composition root of the web client: serves the browser app and routes /api/v1/* to the
// owning service, so the browser talks to one origin.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setting } from '@tulity/adapters/config';
import { createHttpApp } from '@tulity/adapters/http/app';
import { listen, onShutdown } from '@tulity/adapters/http/server';
import { createLogger, type Logger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import { apiProxy, defaultLimits, type ProxyLimits } from './proxy';
import { sessionRouter } from './session';
import { clientRouter, securityHeaders } from './static';
import { accountsAuthenticator, systemRouter } from './system';

const service = 'web';
/** Where `npm run build -w @tulity/web` writes the browser app. */
export const defaultClientDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'client');

export interface Deps {
  logger: Logger;
  metrics: Metrics;
  serviceUrls: Record<string, string>;
  /** Bounds of what the proxy forwards; tests lower them. */
  proxyLimits?: ProxyLimits;
  /** The built browser app. */
  clientDir?: string;
  /** ISO 4217 code the browser app formats money in. */
  currency?: string;
  /** The system page reads Prometheus when it answers, else the services' /metrics. */
  prometheusUrl?: string;
}

export function buildApp({
  logger,
  metrics,
  serviceUrls,
  proxyLimits = defaultLimits,
  clientDir = defaultClientDir,
  currency = 'EUR',
  prometheusUrl = 'http://127.0.0.1:9090',
}: Deps) {
  const accountsUrl = serviceUrls.accounts;
  if (!accountsUrl) throw new Error('TULITY_SERVICE_URLS must name the accounts service: sign-in goes through it.');
  return createHttpApp({
    service,
    logger,
    metrics,
    // Only the session endpoints read JSON bodies here; the API's bodies are streamed by the proxy.
    bodyLimit: 16 * 1024,
    beforeBody: [securityHeaders(), apiProxy(serviceUrls, proxyLimits)],
    // The app comes last: any path no endpoint claimed is a page of the app.
    routers: [
      sessionRouter({ accountsUrl, currency }),
      systemRouter({
        authenticator: accountsAuthenticator(`${accountsUrl}/api/v1/auth/jwks`),
        serviceUrls,
        prometheusUrl,
      }),
      clientRouter(clientDir),
    ],
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
  const currency = setting('TULITY_CURRENCY', 'EUR');
  if (!/^[A-Z]{3}$/.test(currency))
    throw new Error(`TULITY_CURRENCY must be an ISO 4217 code such as EUR, not ${currency}.`);
  // Another build than the repository's (e.g. a second checkout's) can be served from its folder.
  const clientDir = setting('TULITY_WEB_CLIENT_DIR', defaultClientDir);
  const app = buildApp({ logger, metrics: createMetrics(service), serviceUrls, currency, clientDir });
  const server = await listen(app, Number(setting('PORT', '8001')));
  logger.info({ port: server.port }, 'web listening');
  onShutdown(logger, [server.close]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
