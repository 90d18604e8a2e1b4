import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { host, kafkaHome, registryHome } from '../../../stack/config.mjs';
import { formatKafkaStorage, kafkaLog4j, kafkaProperties } from '../../../stack/kafka.mjs';

// A broker and a registry of a test's own, for tests that stop them: the shared ones stay up.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JVM process that can be stopped and started again on the same data. */
export interface PrivateServer {
  readonly address: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(
  what: string,
  child: ChildProcess,
  log: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited while starting; see ${log}`);
    if (await check().catch(() => false)) return;
    await sleep(300);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms; see ${log}`);
}

function server(
  name: string,
  port: number,
  dir: string,
  launch: () => ChildProcess,
  ready: (child: ChildProcess) => Promise<void>,
): PrivateServer {
  let child: ChildProcess | undefined;
  const stop = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    running.delete(current);
    while (await portOpen(port)) await sleep(100);
  };
  return {
    address: `${host}:${port}`,
    async start() {
      if (await portOpen(port)) throw new Error(`port ${port} for the private ${name} is taken`);
      child = launch();
      running.add(child);
      await ready(child);
    },
    stop,
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A single-node KRaft broker on `port`, formatted in a temporary folder. */
export function privateKafka(port = 19092, controllerPort = 19093): PrivateServer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tulity-kafka-'));
  const properties = path.join(dir, 'server.properties');
  const log = path.join(dir, 'kafka.log');
  fs.writeFileSync(
    properties,
    kafkaProperties({ port, controllerPort, dataDir: path.join(dir, 'data'), offsetsPartitions: 3 }),
  );
  const classpath = `${kafkaHome}/*`;
  const format = formatKafkaStorage(classpath, properties);
  if (format.status !== 0) throw new Error(`private kafka format failed: ${format.stderr}`);
  return server(
    'kafka',
    port,
    dir,
    () => {
      const out = fs.openSync(log, 'a');
      const child = spawn('java', ['-Xms256m', '-Xmx512m', kafkaLog4j, '-cp', classpath, 'kafka.Kafka', properties], {
        stdio: ['ignore', out, out],
      });
      fs.closeSync(out);
      return child;
    },
    (child) =>
      waitUntil(
        'private kafka',
        child,
        log,
        async () => {
          if (!(await portOpen(port))) return false;
          const { Kafka, logLevel } = await import('kafkajs');
          const admin = new Kafka({
            brokers: [`${host}:${port}`],
            logLevel: logLevel.NOTHING,
            retry: { retries: 1 },
          }).admin();
          try {
            await admin.connect();
            await admin.fetchOffsets({ groupId: 'tulity-private-probe', topics: [] });
            return true;
          } finally {
            await admin.disconnect();
          }
        },
        120_000,
      ),
  );
}

/** Apicurio on `port`, storing schemas in an H2 file so ids survive a restart. */
export function privateRegistry(port = 18081): PrivateServer & { url: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tulity-registry-'));
  const log = path.join(dir, 'registry.log');
  const url = `http://${host}:${port}/apis/ccompat/v7`;
  const runner = fs.readdirSync(registryHome).find((file) => file.endsWith('-runner.jar'));
  if (!runner) throw new Error(`no Apicurio runner jar in ${registryHome}: run npm run stack:up once`);
  const base = server(
    'registry',
    port,
    dir,
    () => {
      const out = fs.openSync(log, 'a');
      const child = spawn('java', ['-Xmx256m', '-jar', runner], {
        cwd: registryHome,
        stdio: ['ignore', out, out],
        env: {
          ...process.env,
          QUARKUS_HTTP_HOST: host,
          QUARKUS_HTTP_PORT: String(port),
          QUARKUS_LOG_LEVEL: 'WARN',
          APICURIO_STORAGE_KIND: 'sql',
          APICURIO_STORAGE_SQL_KIND: 'h2',
          APICURIO_DATASOURCE_URL: `jdbc:h2:file:${path.join(dir, 'registry')}`,
        },
      });
      fs.closeSync(out);
      return child;
    },
    (child) => waitUntil('private registry', child, log, async () => (await fetch(`${url}/subjects`)).ok, 120_000),
  );
  return Object.assign(base, { url });
}
