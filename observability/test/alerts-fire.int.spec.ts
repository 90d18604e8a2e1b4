// The consumer-lag alerts fire for real: the lag exporter reads the shared broker, a Prometheus of
// this test's own scrapes it every second with the project's rules (minutes read as seconds), and
// an Alertmanager of its own sends to a webhook this test runs, with the Bearer secret from a
// file, as the stack's does to notifications. A consumer group that stops while events arrive
// makes the lag alerts fire, in Prometheus, in Alertmanager and at the webhook; they resolve once
// it comes back and catches up. A group whose consumer hangs without committing is stalled.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { root } from '../../stack/config.mjs';
import {
  alertmanagerArgs,
  alertmanagerConfig,
  defaultPorts,
  prometheusArgs,
  prometheusConfig,
  rulesInSeconds,
} from '../stack.mjs';

const host = '127.0.0.1';
const brokers = (process.env.TULITY_KAFKA_BROKERS ?? `${host}:9092`).split(',');
const run = randomUUID().slice(0, 8);
const prefix = `alert-test-${run}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it returns a value; fails naming what was awaited and the last thing seen. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(500);
  }
  throw new Error(
    `${what}: not seen within ${timeoutMs / 1000} s${last ? ` (last error: ${(last as Error).message})` : ''}`,
  );
}

interface Alert {
  labels: Record<string, string>;
  state?: string;
  status?: string;
}

const processes: ChildProcess[] = [];
function launch(name: string, command: string, args: string[], logDir: string, env: Record<string, string> = {}) {
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.once('error', () => {}); // a missing binary shows up as the readiness wait failing with the log path
  processes.push(child);
  return child;
}

async function stopAll() {
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

describe('consumer-lag alerts in a real Prometheus and Alertmanager', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tulity-alerts-'));
  const secret = randomBytes(24).toString('base64url');
  const webhookCalls: Array<{ authorization: string | undefined; body: { status: string; alerts: Alert[] } }> = [];
  const webhook = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      webhookCalls.push({ authorization: req.headers.authorization, body: JSON.parse(text) });
      res.writeHead(200).end();
    });
  });
  const kafka = new Kafka({ brokers, clientId: prefix, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumers = new Set<Consumer>();
  let prometheus = '';
  let alertmanager = '';

  const produce = (topic: string, count: number) =>
    producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: String(i % 2), value: `event-${i}` })),
    });

  /** A consumer of `topic` in `group`; `gate` holds each message until it resolves (a hung consumer). */
  async function startConsumer(group: string, topic: string, gate: () => Promise<void> = async () => {}) {
    const consumer = kafka.consumer({ groupId: group, sessionTimeout: 60_000, heartbeatInterval: 3000 });
    consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: () => gate() });
    return consumer;
  }

  async function stopConsumer(consumer: Consumer) {
    await consumer.disconnect();
    consumers.delete(consumer);
  }

  const committedLag = async (group: string, topic: string) => {
    const [committed, ends] = await Promise.all([
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
      admin.fetchTopicOffsets(topic),
    ]);
    return ends.reduce((sum, end) => {
      const offset = Number(committed[0]?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      return sum + Number(end.high) - Math.max(offset, 0);
    }, 0);
  };

  const prometheusAlerts = async (): Promise<Alert[]> =>
    ((await (await fetch(`${prometheus}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } }).data.alerts;
  const alertmanagerAlerts = async (name: string): Promise<Alert[]> =>
    (await (
      await fetch(`${alertmanager}/api/v2/alerts?filter=${encodeURIComponent(`alertname="${name}"`)}`)
    ).json()) as Alert[];
  const firingIn = (alerts: Alert[], name: string, group: string) =>
    alerts.find((a) => a.labels.alertname === name && a.labels.group === group && a.state === 'firing');
  const webhookSaw = (status: 'firing' | 'resolved', name: string, group: string) =>
    webhookCalls.find((call) =>
      call.body.alerts.some((a) => a.status === status && a.labels.alertname === name && a.labels.group === group),
    );

  beforeAll(async () => {
    const [prometheusPort, alertmanagerPort, exporterPort] = [await freePort(), await freePort(), await freePort()];
    await new Promise<void>((resolve) => webhook.listen(0, host, resolve));
    const webhookPort = (webhook.address() as net.AddressInfo).port;
    prometheus = `http://${host}:${prometheusPort}`;
    alertmanager = `http://${host}:${alertmanagerPort}`;

    const secretFile = path.join(dir, 'alert-webhook-secret');
    fs.writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    const rulesFile = path.join(dir, 'alerts.yml');
    fs.writeFileSync(rulesFile, rulesInSeconds());
    const prometheusFile = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(
      prometheusFile,
      await prometheusConfig({
        ports: { [defaultPorts.lagExporter]: exporterPort, [defaultPorts.alertmanager]: alertmanagerPort },
        jobs: ['kafka-lag'],
        ruleFiles: [rulesFile],
        interval: '1s',
      }),
    );
    const alertmanagerFile = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(
      alertmanagerFile,
      await alertmanagerConfig({
        webhookUrl: `http://${host}:${webhookPort}/internal/alertmanager`,
        credentialsFile: secretFile,
        timing: { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
      }),
    );

    launch(
      'lag-exporter',
      process.execPath,
      ['--import', 'tsx', path.join(root, 'observability', 'lag-exporter', 'main.ts')],
      dir,
      {
        PORT: String(exporterPort),
        TULITY_KAFKA_BROKERS: brokers.join(','),
        TULITY_LAG_GROUPS: `^${prefix}-`,
        TULITY_LAG_SCAN_INTERVAL_MS: '500',
      },
    );
    launch(
      'alertmanager',
      'prometheus-alertmanager',
      alertmanagerArgs({
        configFile: alertmanagerFile,
        storageDir: path.join(dir, 'am'),
        host,
        port: alertmanagerPort,
      }),
      dir,
    );
    launch(
      'prometheus',
      'prometheus',
      prometheusArgs({ configFile: prometheusFile, storageDir: path.join(dir, 'tsdb'), host, port: prometheusPort }),
      dir,
    );
    for (const [name, url] of [
      ['lag exporter', `http://${host}:${exporterPort}/health/ready`],
      ['alertmanager', `${alertmanager}/-/ready`],
      ['prometheus', `${prometheus}/-/ready`],
    ]) {
      await waitFor(
        `${name} ready (log in ${dir}; prometheus and alertmanager come from bash observability/install-tools.sh)`,
        async () => ((await fetch(url!)).ok ? true : undefined),
        60_000,
      );
    }
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.disconnect().catch(() => {});
    // This run's groups and topics go, so the shared broker does not keep collecting them.
    await admin.deleteGroups([`${prefix}-down`, `${prefix}-stalled`]).catch(() => {});
    await admin.deleteTopics({ topics: [`${prefix}.down`, `${prefix}.stalled`] }).catch(() => {});
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    await stopAll();
    await new Promise((resolve) => webhook.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a group whose consumer is down while events arrive: lag and no-member alerts fire, reach Alertmanager and the webhook, then resolve', async () => {
    const group = `${prefix}-down`;
    const topic = `${prefix}.down`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    // The group reads and commits, so the broker knows its offsets; then its only consumer stops.
    await produce(topic, 10);
    const first = await startConsumer(group, topic);
    await waitFor('the group to commit its first events', async () =>
      (await committedLag(group, topic)) === 0 ? true : undefined,
    );
    await stopConsumer(first);

    // Events keep arriving while nobody reads: the lag passes 1000 and keeps growing.
    let produced = 0;
    await waitFor('ConsumerLagHigh and ConsumerGroupNoMembers firing in Prometheus', async () => {
      if (produced < 20_000) {
        await produce(topic, 150);
        produced += 150;
      }
      const alerts = await prometheusAlerts();
      return firingIn(alerts, 'ConsumerLagHigh', group) && firingIn(alerts, 'ConsumerGroupNoMembers', group)
        ? true
        : undefined;
    });
    // The exporter's own `service` label won over the scrape target's (honor_labels): none renamed.
    const query = async (promql: string) =>
      (
        (await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
          data: { result: unknown[] };
        }
      ).data.result;
    expect(await query('kafka_lag_exporter_scan_success{service="lag-exporter"}')).toHaveLength(1);
    expect(await query('{exported_service!=""}')).toEqual([]);
    const lagAlert = firingIn(await prometheusAlerts(), 'ConsumerLagHigh', group)!;
    expect(lagAlert.labels).toEqual({ alertname: 'ConsumerLagHigh', group, topic, severity: 'page' });

    const inAlertmanager = await waitFor('ConsumerLagHigh in Alertmanager', async () =>
      (await alertmanagerAlerts('ConsumerLagHigh')).find((a) => a.labels.group === group),
    );
    expect(inAlertmanager.labels.topic).toBe(topic);
    const delivered = await waitFor('ConsumerLagHigh firing at the webhook', async () =>
      webhookSaw('firing', 'ConsumerLagHigh', group),
    );
    expect(delivered.authorization).toBe(`Bearer ${secret}`);

    // The consumer comes back and catches up: the alerts resolve, and the webhook hears it.
    await startConsumer(group, topic);
    await waitFor('the group to catch up', async () => ((await committedLag(group, topic)) === 0 ? true : undefined));
    await waitFor('ConsumerLagHigh and ConsumerGroupNoMembers gone from Prometheus', async () => {
      const alerts = (await prometheusAlerts()).filter((a) => a.labels.group === group);
      return alerts.some((a) => ['ConsumerLagHigh', 'ConsumerGroupNoMembers'].includes(a.labels.alertname!))
        ? undefined
        : true;
    });
    await waitFor('ConsumerLagHigh resolved at the webhook', async () =>
      webhookSaw('resolved', 'ConsumerLagHigh', group),
    );
  }, 240_000);

  test('a group whose consumer hangs without committing is stalled, not memberless, until it moves again', async () => {
    const group = `${prefix}-stalled`;
    const topic = `${prefix}.stalled`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    let release: () => void = () => {};
    let hung = false;
    const held = new Promise<void>((resolve) => (release = resolve));
    await produce(topic, 5);
    await startConsumer(group, topic, () => (hung ? held : Promise.resolve()));
    await waitFor('the group to commit its first events', async () =>
      (await committedLag(group, topic)) === 0 ? true : undefined,
    );

    // The next event never finishes: the consumer stays in the group, its offsets stop moving.
    hung = true;
    await produce(topic, 5);
    await waitFor('ConsumerGroupStalled firing in Prometheus', async () =>
      firingIn(await prometheusAlerts(), 'ConsumerGroupStalled', group),
    );
    const alerts = (await prometheusAlerts()).filter((a) => a.labels.group === group);
    expect(alerts.map((a) => a.labels.alertname)).not.toContain('ConsumerGroupNoMembers');
    await waitFor('ConsumerGroupStalled firing at the webhook', async () =>
      webhookSaw('firing', 'ConsumerGroupStalled', group),
    );

    hung = false;
    release();
    await waitFor('the group to catch up', async () => ((await committedLag(group, topic)) === 0 ? true : undefined));
    await waitFor('ConsumerGroupStalled resolved at the webhook', async () =>
      webhookSaw('resolved', 'ConsumerGroupStalled', group),
    );
  }, 240_000);
});
