// The system page's endpoint against real HTTP: tokens checked through a served JWKS, services that
// expose the backbone's real prom-client metrics (one of them failing its readiness), and the real
// Prometheus of the local stack for the Prometheus path.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createTestIssuer, type TestIssuer } from '@tulity/adapters/auth/testing';
import { eventMetrics } from '@tulity/adapters/events/metrics';
import { createHttpApp } from '@tulity/adapters/http/app';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { startHttp, type RunningHttp } from '@tulity/adapters/testing/kit';
import { accountsAuthenticator, systemRouter, type Flows } from '../src/system';

const logger = createLogger('web-system-test');
const prometheusUrl = process.env.TULITY_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
/** Nothing listens here: Prometheus "down". */
const closedPort = 'http://127.0.0.1:1';

/** A service as the system page sees it: /health/ready and /metrics from the shared app factory. */
async function fakeService(name: string, ready: boolean, record: (metrics: ReturnType<typeof eventMetrics>) => void) {
  const metrics = createMetrics(name);
  const events = eventMetrics(metrics.registry);
  events.outboxProbes.add(async () => ({ pending: name === 'transactions' ? 3 : 0, oldestAgeSeconds: 0 }));
  record(events);
  return startHttp(
    createHttpApp({
      service: name,
      logger,
      metrics,
      readiness: { database: async () => (ready ? undefined : Promise.reject(new Error('down'))) },
    }),
  );
}

describe('the system endpoint', () => {
  let issuer: TestIssuer;
  let jwks: { jwksUrl: string; close(): Promise<void> };
  const services: Record<string, RunningHttp> = {};
  let serviceUrls: Record<string, string>;
  const webWith = (prometheus: string) =>
    startHttp(
      createHttpApp({
        service: 'web',
        logger,
        metrics: createMetrics('web'),
        routers: [
          systemRouter({ authenticator: accountsAuthenticator(jwks.jwksUrl), serviceUrls, prometheusUrl: prometheus }),
        ],
      }),
    );

  beforeAll(async () => {
    issuer = await createTestIssuer();
    jwks = await issuer.serve();
    services.transactions = await fakeService('transactions', true, (m) => {
      m.relayActive.set({ service: 'transactions' }, 1);
      m.relayPublished.inc({ topic: 'transactions.sale', type: 'tulity.transactions.SaleRequested' }, 5);
      m.relayPublished.inc({ topic: 'transactions.sale', type: 'tulity.transactions.SaleConfirmed' }, 4);
      m.consumerProcessed.inc({ group: 'transactions', type: 'tulity.products.StockReserved' }, 4);
      m.consumerLag.set({ group: 'transactions', topic: 'products.reservation', partition: '0' }, 2);
      m.consumerLag.set({ group: 'transactions', topic: 'products.reservation', partition: '1' }, 1);
    });
    services.products = await fakeService('products', false, (m) => {
      m.relayPublished.inc({ topic: 'products.reservation', type: 'tulity.products.StockReserved' }, 4);
      m.consumerProcessed.inc({ group: 'products', type: 'tulity.transactions.SaleRequested' }, 5);
      m.consumerDeadLettered.inc({ group: 'products', topic: 'transactions.sale', reason: 'decode' });
    });
    serviceUrls = {
      products: `http://127.0.0.1:${services.products.server.port}`,
      transactions: `http://127.0.0.1:${services.transactions.server.port}`,
      notifications: closedPort,
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(services).map((service) => service.close()));
    await jwks.close();
  });

  test('health and flows need a valid token; flows need an admin', async () => {
    const web = await webWith(closedPort);
    try {
      expect((await web.call('GET', '/system/health')).status).toBe(401);
      const forged = await issuer.sign({ sub: 'u', role: 'admin', jti: 'j', sid: 's', iss: 'someone-else' });
      expect((await web.call('GET', '/system/flows', { token: forged })).status).toBe(401);
      const cashier = await issuer.mint({ role: 'cashier' });
      expect((await web.call('GET', '/system/health', { token: cashier })).status).toBe(200);
      const refused = await web.call('GET', '/system/flows', { token: cashier });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'AUTH.FORBIDDEN' });
    } finally {
      await web.close();
    }
  });

  test("health reports each service's readiness and its checks", async () => {
    const web = await webWith(closedPort);
    try {
      const answer = await web.call('GET', '/system/health', { token: await issuer.mint({ role: 'manager' }) });
      expect(answer.body).toEqual({
        services: [
          { name: 'notifications', ready: false, checks: {} },
          { name: 'products', ready: false, checks: { database: 'failing' } },
          { name: 'transactions', ready: true, checks: { database: 'ok' } },
        ],
      });
    } finally {
      await web.close();
    }
  });

  test("without Prometheus, flows come from the services' /metrics, per topic and group", async () => {
    const web = await webWith(closedPort);
    try {
      const answer = await web.call('GET', '/system/flows', { token: await issuer.mint({ role: 'admin' }) });
      expect(answer.status).toBe(200);
      const flows = answer.body as Flows;
      expect(flows.source).toBe('metrics');
      expect(flows.unavailable).toEqual(['notifications']);
      expect(flows.topics.find((t) => t.topic === 'transactions.sale')).toEqual({
        topic: 'transactions.sale',
        producer: 'transactions',
        produced: 9,
        producedPerSecond: null,
      });
      const flow = (topic: string, group: string) => flows.flows.find((f) => f.topic === topic && f.group === group);
      expect(flow('products.reservation', 'transactions')).toEqual({
        topic: 'products.reservation',
        group: 'transactions',
        consumed: 4,
        consumedPerSecond: null,
        lag: 3,
        deadLetters: 0,
      });
      expect(flow('transactions.sale', 'products')).toMatchObject({ consumed: 5, deadLetters: 1, lag: null });
      // A declared subscription with no traffic yet still has its row.
      expect(flow('transactions.sale', 'notifications')).toMatchObject({ consumed: 0, deadLetters: 0 });
      expect(flows.outbox).toEqual([
        { service: 'notifications', pending: null, oldestAgeSeconds: null, relayActive: null },
        { service: 'products', pending: 0, oldestAgeSeconds: 0, relayActive: null },
        { service: 'transactions', pending: 3, oldestAgeSeconds: 0, relayActive: true },
      ]);
    } finally {
      await web.close();
    }
  });

  test('with Prometheus answering, flows come from it, with rates', async () => {
    const up = await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined);
    expect(up?.status).toBe(200);
    const web = await webWith(prometheusUrl);
    try {
      const answer = await web.call('GET', '/system/flows', { token: await issuer.mint({ role: 'admin' }) });
      const flows = answer.body as Flows;
      expect(flows.source).toBe('prometheus');
      // Prometheus scrapes the local stack's services, not the fakes above: its figures are its own.
      for (const topic of flows.topics) expect(topic.producedPerSecond).toEqual(expect.any(Number));
      expect(flows.flows.map((f) => `${f.topic} → ${f.group}`)).toEqual(
        expect.arrayContaining(['transactions.sale → products', 'products.reservation → transactions']),
      );
      for (const flow of flows.flows) expect(flow.consumedPerSecond).toEqual(expect.any(Number));
    } finally {
      await web.close();
    }
  });
});
