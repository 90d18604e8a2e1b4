// No Docker engine runs where this is tested, so docker-compose.yml is checked statically
// against the same facts the local stack uses (every service, its port, its own database), and
// against the Compose specification by dclint.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, expect } from '@jest/globals';
import { parse } from 'yaml';
import * as config from '../config.mjs';

const read = (relative: string) => fs.readFileSync(path.join(config.root, relative), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<
    string,
    {
      environment?: Record<string, string | number>;
      ports?: unknown[];
      depends_on?: Record<string, { condition: string }>;
      image?: string;
      build?: unknown;
      volumes?: string[];
      healthcheck?: unknown;
    }
  >;
};

describe('docker-compose.yml', () => {
  // Compose and Prometheus use the default ports, whatever TULITY_PORT_OFFSET this run has.
  for (const { defaultPort: port, ...service } of config.services) {
    test(`runs ${service.name} on port ${port} from the project image`, () => {
      expect(Object.keys(compose.services)).toContain(service.name);
      const entry = compose.services[service.name]!;
      // Built from deploy/Dockerfile.
      expect(entry.build).toBeTruthy();
      // Only the web client is published, on TULITY_BIND (loopback unless set); the others stay on the compose network.
      if (service.name === 'web')
        expect(entry.ports).toEqual([{ target: port, published: String(port), host_ip: '${TULITY_BIND:-127.0.0.1}' }]);
      else expect(entry.ports).toBe(undefined);
      // Has a health check, so what depends on it waits for it.
      expect(entry.healthcheck).toBeTruthy();
      const env = entry.environment ?? {};
      expect(env.TULITY_SERVICE).toBe(service.name);
      expect(String(env.PORT)).toBe(String(port));
      // A container must listen beyond its loopback.
      expect(env.HOST).toBe('0.0.0.0');
      expect(env.TULITY_KAFKA_BROKERS).toBe('kafka:9092');
      expect(fs.existsSync(path.join(config.root, 'services', service.name, 'src', 'main.ts'))).toBeTruthy();
      if (service.database) {
        const role = `tulity_${service.name}`;
        expect(env.DATABASE_URL).toBe(`postgres://${role}:${role}@postgres:5432/${role}`);
        expect(
          entry.depends_on?.postgres && entry.depends_on?.kafka && entry.depends_on?.['schema-registry'],
        ).toBeTruthy();
      }
    });
  }

  test("accounts believes X-Forwarded-For from the web proxy's fixed address only", () => {
    const webAddress = (compose.services.web as { networks?: { default?: { ipv4_address?: string } } }).networks
      ?.default?.ipv4_address;
    expect(webAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(compose.services.accounts?.environment?.TULITY_TRUSTED_PROXIES).toBe(webAddress);
  });

  test('Kafka is a single KRaft node whose internal topics fit on it', () => {
    const env = compose.services.kafka?.environment ?? {};
    expect(String(compose.services.kafka?.image)).toMatch(/^apache\/kafka:4\./);
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    for (const name of [
      'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
    ]) {
      expect(String(env[name])).toBe('1');
    }
  });

  test('the registry is the Apicurio release the local stack runs (schema-registry/test checks its settings)', () => {
    const registry = compose.services['schema-registry'];
    expect(registry?.image).toBe(`apicurio/apicurio-registry:${config.versions.apicurio}`);
    expect(registry?.ports).toBe(undefined);
  });

  test('Kafka, Postgres and the registry stay on the compose network; Prometheus, Alertmanager and Grafana on loopback', () => {
    for (const name of ['kafka', 'postgres', 'schema-registry', 'lag-exporter'])
      expect(compose.services[name]?.ports).toBe(undefined);
    for (const [name, port] of [
      ['prometheus', 9090],
      ['alertmanager', 9095],
      ['grafana', 3000],
    ] as const) {
      expect(compose.services[name]?.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    }
  });

  test('everything that waits for another part waits for it to be healthy (or, for the contracts job, done)', () => {
    for (const service of Object.values(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const expected = dependency === 'contracts' ? 'service_completed_successfully' : 'service_healthy';
        expect({ dependency, condition }).toEqual({ dependency, condition: expected });
        if (dependency !== 'contracts')
          expect({ dependency, healthcheck: Boolean(compose.services[dependency]?.healthcheck) }).toEqual({
            dependency,
            healthcheck: true,
          });
      }
    }
  });

  test('dclint finds nothing against the Compose specification and its rules (no warnings either)', () => {
    const dclint = path.join(config.root, 'node_modules', '.bin', 'dclint');
    const result = spawnSync(dclint, ['--max-warnings', '0', 'docker-compose.yml'], {
      cwd: config.root,
      encoding: 'utf8',
    });
    // The report first, so a failure shows what dclint found.
    expect({ status: result.status, report: result.stdout.trim() }).toEqual({ status: 0, report: '' });
  });

  test('Postgres creates one database and one role per service, each closed to the others', () => {
    const sql = read('deploy/postgres-init.sql');
    for (const service of config.services.filter((s) => s.database)) {
      const role = `tulity_${service.name}`;
      expect(sql).toMatch(new RegExp(`CREATE ROLE ${role} LOGIN`));
      expect(sql).toMatch(new RegExp(`CREATE DATABASE ${role} OWNER ${role};`));
      expect(sql).toMatch(new RegExp(`REVOKE CONNECT, TEMPORARY ON DATABASE [^;]*\\b${role}\\b[^;]* FROM PUBLIC`));
      expect(sql).toMatch(new RegExp(`GRANT CONNECT, TEMPORARY ON DATABASE ${role} TO ${role};`));
    }
  });

  test('Prometheus scrapes every service and the lag exporter, locally and in compose', () => {
    const local = parse(read('observability/prometheus.yml'));
    const inCompose = parse(read('observability/prometheus.compose.yml'));
    const targets = (doc: any): string[] =>
      doc.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets));
    for (const { name, defaultPort: port } of config.services) {
      expect(targets(local)).toContain(`127.0.0.1:${port}`);
      expect(targets(inCompose)).toContain(`${name}:${port}`);
    }
    expect(targets(local)).toContain('127.0.0.1:9308');
    expect(targets(inCompose)).toContain('lag-exporter:9308');
  });

  test('the image installs every workspace package before copying the source', () => {
    const dockerfile = read('deploy/Dockerfile');
    const pkg = JSON.parse(read('package.json')) as { workspaces: string[] };
    const workspaces = pkg.workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? fs.readdirSync(path.join(config.root, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`)
        : [pattern],
    );
    for (const workspace of workspaces) {
      expect(dockerfile).toMatch(new RegExp(`COPY ${workspace}/package.json ${workspace}/`));
    }
  });
});
