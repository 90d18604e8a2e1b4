// Apicurio Registry, the schema registry of the local stack: which release, how it is fetched,
// how it is configured (storage in Postgres, port, heap) and started, and its global
// compatibility rule. stack/cli.mjs calls these; docker-compose.yml runs the same release with
// the same settings (schema-registry/compose.env). Plain JavaScript: `npm start` runs it on a
// fresh clone before anything is installed. See schema-registry/README.md.
import path from 'node:path';

const env = process.env;

// 3.0.x runs on Java 17; the later releases on Maven Central want Java 21+.
export const version = '3.0.9';

/** The Maven coordinates of the standalone Quarkus app: a tar.gz holding the runner jar and lib/. */
export const artifact = `io.apicurio:apicurio-registry-app:${version}:tar.gz:all`;
export const tarballName = `apicurio-registry-app-${version}-all.tar.gz`;

/** What the registry checks when a subject has no level of its own; Apicurio checks nothing without a rule. */
export const globalCompatibility = 'BACKWARD_TRANSITIVE';

/** Port, heap and storage of the local registry; `url` is its Confluent-compatible API, the only one the project speaks. */
export function registrySettings(host, databaseSuffix = '') {
  const port = Number(env.TULITY_REGISTRY_PORT ?? 8081);
  return {
    port,
    heap: env.TULITY_REGISTRY_HEAP ?? '512m',
    // Its own database and role, like a service: schema ids survive a restart, so messages
    // already in Kafka stay decodable.
    database: databaseSuffix ? `tulity_registry_${databaseSuffix}` : 'tulity_registry',
    role: 'tulity_registry',
    globalCompatibility,
    url: `http://${host}:${port}/apis/ccompat/v7`,
  };
}

/** Where the unpacked release lives inside the stack's download cache. */
export const homeIn = (cacheDir) => path.join(cacheDir, `apicurio-registry-${version}`);

/**
 * Maven arguments that put the tarball in `downloadsDir`. Its parent POM is not on Maven Central,
 * so it cannot be a dependency of a POM: `dependency:copy` fetches the one artifact instead.
 */
export const mavenFetchArgs = (downloadsDir) => [
  'dependency:copy',
  `-Dartifact=${artifact}`,
  `-DoutputDirectory=${downloadsDir}`,
];

/** The java command line and environment that run the registry from `home`, storing in Postgres. */
export function launchCommand({ home, runnerJar, host, settings, postgres }) {
  return {
    command: 'java',
    args: [`-Xmx${settings.heap}`, '-jar', runnerJar],
    cwd: home,
    env: {
      QUARKUS_HTTP_HOST: host,
      QUARKUS_HTTP_PORT: String(settings.port),
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'postgresql',
      APICURIO_DATASOURCE_URL: `jdbc:postgresql://${postgres.host}:${postgres.port}/${settings.database}`,
      APICURIO_DATASOURCE_USERNAME: settings.role,
      APICURIO_DATASOURCE_PASSWORD: settings.role,
      QUARKUS_LOG_LEVEL: 'WARN',
    },
  };
}

/** True once the Confluent-compatible API answers. */
export async function answers(url) {
  return (await fetch(`${url}/subjects`, { signal: globalThis.AbortSignal.timeout(5000) })).ok;
}

/**
 * Sets the global compatibility level through the Confluent-compatible API; every start does it,
 * since a registry with a fresh database checks nothing. Subjects get their own levels from the
 * contracts catalogue (`npm run contracts:register`). Throws with the registry's answer.
 */
export async function setGlobalCompatibility(url, level = globalCompatibility) {
  const response = await fetch(`${url}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: level }),
    signal: globalThis.AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(
      `the registry refused the global compatibility ${level}: ${response.status} ${await response.text()}`,
    );
}
