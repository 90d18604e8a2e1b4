// The registry docker-compose runs is the one the local stack runs: the same release, storing in
// Postgres in its own database under its own role, with the same global compatibility set by the
// contracts job before any subject is registered.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { root } from '../../stack/config.mjs';
import { artifact, globalCompatibility, launchCommand, registrySettings, version } from '../registry.mjs';

const read = (relative: string) => fs.readFileSync(path.join(root, relative), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<
    string,
    { image?: string; env_file?: string[]; command?: string[]; environment?: Record<string, string> }
  >;
};
const composeEnv = Object.fromEntries(
  read('schema-registry/compose.env')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

describe('schema registry', () => {
  const settings = registrySettings('127.0.0.1');
  const local = launchCommand({
    home: '/cache/registry',
    runnerJar: 'runner.jar',
    host: '127.0.0.1',
    settings,
    postgres: { host: '127.0.0.1', port: 5432 },
  });

  test('the stack fetches the standalone app of the one release it names', () => {
    expect(artifact).toBe(`io.apicurio:apicurio-registry-app:${version}:tar.gz:all`);
    expect(local.args).toEqual([`-Xmx${settings.heap}`, '-jar', 'runner.jar']);
  });

  test('locally and in compose it stores in Postgres, database and role tulity_registry', () => {
    for (const env of [local.env, composeEnv]) {
      expect(env.APICURIO_STORAGE_KIND).toBe('sql');
      expect(env.APICURIO_STORAGE_SQL_KIND).toBe('postgresql');
      expect(env.APICURIO_DATASOURCE_URL).toMatch(new RegExp(`^jdbc:postgresql://[^/]+/${settings.database}$`));
      expect(env.APICURIO_DATASOURCE_USERNAME).toBe(settings.role);
    }
    expect(read('deploy/postgres-init.sql')).toMatch(/CREATE DATABASE tulity_registry OWNER tulity_registry;/);
  });

  test('compose runs the same release from its env file, and sets the global level before registering', () => {
    const service = compose.services['schema-registry']!;
    expect(service.image).toBe(`apicurio/apicurio-registry:${version}`);
    expect(service.env_file).toEqual(['./schema-registry/compose.env']);
    const job = compose.services.contracts!;
    expect(job.environment?.TULITY_REGISTRY_URL).toBe(
      `http://schema-registry:${composeEnv.QUARKUS_HTTP_PORT}/apis/ccompat/v7`,
    );
    expect(job.command?.at(-1)).toMatch(/^node schema-registry\/configure\.mjs && npm run contracts:register/);
    expect(globalCompatibility).toBe('BACKWARD_TRANSITIVE');
  });
});
