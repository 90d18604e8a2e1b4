// No Docker engine runs where this is tested, so docker-compose.yml is checked statically
// against the same facts the local stack uses: every service, its port, its own database.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { parse } from 'yaml';
import * as config from '../config.mjs';

const read = (relative: string) => fs.readFileSync(path.join(config.root, relative), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string | number>; ports?: string[]; depends_on?: Record<string, unknown>; image?: string; build?: unknown; volumes?: string[] }>;
};

describe('docker-compose.yml', () => {
  // Compose and Prometheus use the default ports, whatever TULITY_PORT_OFFSET this run has.
  for (const { defaultPort: port, ...service } of config.services) {
    test(`runs ${service.name} on port ${port} from the project image`, () => {
      const entry = compose.services[service.name];
      assert.ok(entry, `no compose service named ${service.name}`);
      assert.ok(entry.build, 'built from deploy/Dockerfile');
      assert.deepEqual(entry.ports, [`${port}:${port}`]);
      const env = entry.environment ?? {};
      assert.equal(env.TULITY_SERVICE, service.name);
      assert.equal(String(env.PORT), String(port));
      assert.equal(env.HOST, '0.0.0.0', 'a container must listen beyond its loopback');
      assert.equal(env.TULITY_KAFKA_BROKERS, 'kafka:9092');
      assert.ok(fs.existsSync(path.join(config.root, 'services', service.name, 'src', 'main.ts')));
      if (service.database) {
        const role = `tulity_${service.name}`;
        assert.equal(env.DATABASE_URL, `postgres://${role}:${role}@postgres:5432/${role}`);
        assert.ok(entry.depends_on?.postgres && entry.depends_on?.kafka && entry.depends_on?.['schema-registry']);
      }
    });
  }

  test('Kafka is a single KRaft node whose internal topics fit on it', () => {
    const env = compose.services.kafka?.environment ?? {};
    assert.match(String(compose.services.kafka?.image), /^apache\/kafka:4\./);
    assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
    for (const name of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']) {
      assert.equal(String(env[name]), '1', name);
    }
  });

  test("the registry is Confluent's, checking backward-transitive compatibility", () => {
    const registry = compose.services['schema-registry'];
    assert.match(String(registry?.image), /^confluentinc\/cp-schema-registry:/);
    assert.equal(String(registry?.environment?.SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL).toUpperCase(), config.registry.globalCompatibility);
  });

  test('Postgres creates one database and one role per service, each closed to the others', () => {
    const sql = read('deploy/postgres-init.sql');
    for (const service of config.services.filter((s) => s.database)) {
      const role = `tulity_${service.name}`;
      assert.match(sql, new RegExp(`CREATE ROLE ${role} LOGIN`));
      assert.match(sql, new RegExp(`CREATE DATABASE ${role} OWNER ${role};`));
      assert.match(sql, new RegExp(`REVOKE CONNECT, TEMPORARY ON DATABASE [^;]*\\b${role}\\b[^;]* FROM PUBLIC`));
      assert.match(sql, new RegExp(`GRANT CONNECT, TEMPORARY ON DATABASE ${role} TO ${role};`));
    }
  });

  test('Prometheus scrapes every service, locally and in compose', () => {
    const local = parse(read('observability/prometheus.yml'));
    const inCompose = parse(read('observability/prometheus.compose.yml'));
    const targets = (doc: any): string[] => doc.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets));
    for (const { name, defaultPort: port } of config.services) {
      assert.ok(targets(local).includes(`127.0.0.1:${port}`), `local: ${name}`);
      assert.ok(targets(inCompose).includes(`${name}:${port}`), `compose: ${name}`);
    }
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
      assert.match(dockerfile, new RegExp(`COPY ${workspace}/package.json ${workspace}/`), workspace);
    }
  });
});
