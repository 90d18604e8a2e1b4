// The system page's endpoint against real HTTP: tokens checked through a served JWKS, services that
// expose the backbone's real prom-client metrics (one of them failing its readiness), and the real
// Prometheus (Debian's, as npm test installs it) scraping those services for the Prometheus path.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createTestIssuer, type TestIssuer } from '@tulity/adapters/auth/testing';
import { eventMetrics } from '@tulity/adapters/events/metrics';
import { createHttpApp } from '@tulity/adapters/http/app';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { startHttp, type RunningHttp } from '@tulity/adapters/testing/kit';
import { prometheusArgs, prometheusConfig } from '../../../observability/stack.mjs';
import { accountsAuthenticator, systemRouter } from '../src/system';
import type { SystemFlows } from '../src/system-answers';

const logger = createLogger('web-system-test');
/** Nothing listens here: Prometheus "down". */
const closedPort = 'http://127.0.0.1:1';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Prometheus of its own, scraping every second, its targets' default ports moved by `ports`. */
async function startPrometheus(ports: Record<number, number>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-system-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, await prometheusConfig({ ports, jobs: ['tulity'], interval: '1s' }));
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'prometheus.log'), 'a');
  const child = spawn(
    'prometheus',
    prometheusArgs({ configFile, storageDir: path.join(dir, 'tsdb'), host: '127.0.0.1', port }),
    { stdio: ['ignore', log, log] },
  );
  child.once('error', () => {}); // a missing binary shows as the readiness wait failing
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok) break;
    if (attempt > 240 || child.exitCode !== null)
      throw new Error(`prometheus did not come up (bash observability/install-tools.sh); log: ${dir}/prometheus.log`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
      const flows = answer.body as SystemFlows;
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
    const prometheus = await startPrometheus({
      8013: services.products!.server.port,
      8014: services.transactions!.server.port,
      // The job's other targets go nowhere: only the fakes' figures may count.
      8011: 1,
      8012: 1,
      8001: 1,
    });
    const web = await webWith(prometheus.url);
    try {
      const admin = await issuer.mint({ role: 'admin' });
      // Rates need two scrapes of each fake, and Prometheus scrapes the two at different moments.
      // The answer cannot tell (a missing rate reads as 0), so ask Prometheus itself.
      const samples = async (series: string) => {
        const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(`min(count_over_time(${series}[5m]))`)}`;
        const body = (await (await fetch(url)).json()) as { data?: { result?: Array<{ value: [number, string] }> } };
        return Number(body.data?.result?.[0]?.value[1] ?? 0);
      };
      for (let attempt = 0; attempt < 120; attempt++) {
        const transactions = await samples('relay_published_total{topic="transactions.sale"}');
        const products = await samples('consumer_processed_total{group="products"}');
        if (transactions >= 2 && products >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const flows = (await web.call('GET', '/system/flows', { token: admin })).body as SystemFlows;
      expect(flows.source).toBe('prometheus');
      expect(flows.topics.find((t) => t.topic === 'transactions.sale')).toMatchObject({
        produced: 9,
        producedPerSecond: 0,
      });
      const flow = (topic: string, group: string) => flows.flows.find((f) => f.topic === topic && f.group === group);
      expect(flow('products.reservation', 'transactions')).toMatchObject({ consumed: 4, consumedPerSecond: 0 });
      expect(flow('transactions.sale', 'products')).toMatchObject({ consumed: 5, deadLetters: 1 });
    } finally {
      await web.close();
      await prometheus.stop();
    }
  });
});
