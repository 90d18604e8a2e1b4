#!/usr/bin/env node
// The local stack: fetches Kafka and Apicurio Registry through Maven, creates the Postgres
// databases, starts and stops everything (with Prometheus, Alertmanager and the lag exporter),
// and runs the tests against it. The registry's own settings live in schema-registry/, the
// monitoring's in observability/.
//   node stack/cli.mjs up|down|status|logs [part] [-f]|reset|fetch|start|test [test args]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as config from './config.mjs';
import { formatKafkaStorage, kafkaLog4j, kafkaProperties } from './kafka.mjs';
import * as schemaRegistry from '../schema-registry/registry.mjs';
import * as monitoring from '../observability/stack.mjs';
import { supervise } from './supervisor.mjs';
import { buildClient } from '../services/web/scripts/build-client.mjs';

const {
  root,
  dirs,
  versions,
  kafka,
  registry,
  postgres,
  services,
  host,
  prometheusPort,
  alertmanagerPort,
  lagExporterPort,
  kafkaHome,
  registryHome,
} = config;

class StackError extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

const say = (line) => console.log(`[stack] ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const logPath = (part) => path.join(dirs.logs, `${part}.log`);
const pidPath = (part) => path.join(dirs.run, `${part}.pid`);
const relative = (p) => path.relative(process.cwd(), p) || '.';

function ensureDirs() {
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
}

function lastLogLine(part) {
  try {
    const lines = fs.readFileSync(logPath(part), 'utf8').trim().split('\n');
    return lines.at(-1)?.slice(0, 300) ?? '';
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// npm packages

function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const fresh =
    fs.existsSync(marker) && (!fs.existsSync(lock) || fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs);
  if (fresh) return;
  say('npm packages: installing (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new StackError('npm ci failed', 'see the npm output above');
}

// ---------------------------------------------------------------------------------------------
// JVM parts through Maven

function requireCommand(command, hint) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (!found) throw new StackError(`${command} is not installed`, hint);
}

function maven(what, args) {
  requireCommand('mvn', 'install Apache Maven (apt-get install maven)');
  const log = fs.openSync(logPath('maven'), 'a');
  const result = spawnSync('mvn', ['-B', '-q', ...args], { cwd: root, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (result.status !== 0) {
    throw new StackError(`Maven could not resolve ${what}`, `see ${relative(logPath('maven'))}`);
  }
}

function fetchJvmParts() {
  requireCommand('java', 'install a Java 17 runtime (apt-get install openjdk-17-jre-headless)');
  const kafkaDir = kafkaHome;
  if (!fs.existsSync(path.join(kafkaDir, '.complete'))) {
    say(`kafka ${versions.kafka}: fetching jars through Maven`);
    fs.rmSync(kafkaDir, { recursive: true, force: true });
    maven('the Kafka jars', [
      '-f',
      'stack/pom.xml',
      'dependency:copy-dependencies',
      `-Dkafka.version=${versions.kafka}`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${kafkaDir}`,
    ]);
    fs.writeFileSync(path.join(kafkaDir, '.complete'), new Date().toISOString());
  }
  const registryDir = registryHome;
  if (!fs.existsSync(path.join(registryDir, '.complete'))) {
    say(`apicurio registry ${versions.apicurio}: fetching through Maven`);
    const downloads = path.join(dirs.cache, 'downloads');
    maven(schemaRegistry.artifact, schemaRegistry.mavenFetchArgs(downloads));
    fs.rmSync(registryDir, { recursive: true, force: true });
    fs.mkdirSync(registryDir, { recursive: true });
    const tarball = path.join(downloads, schemaRegistry.tarballName);
    const untar = spawnSync('tar', ['xzf', tarball, '-C', registryDir], { stdio: 'inherit' });
    if (untar.status !== 0) throw new StackError(`could not unpack ${tarball}`, 'delete .stack/cache and run again');
    fs.rmSync(tarball);
    fs.writeFileSync(path.join(registryDir, '.complete'), new Date().toISOString());
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

function readPid(part) {
  try {
    return Number(fs.readFileSync(pidPath(part), 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Our process for `part`, if it is alive; a stale pid file from a killed run is removed. */
function runningPid(part) {
  const pid = readPid(part);
  if (isAlive(pid)) return pid;
  fs.rmSync(pidPath(part), { force: true });
  return undefined;
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function requireFreePort(port, part, variable) {
  if (await portOpen(port)) {
    throw new StackError(`port ${port} for ${part} is taken by another process`, `stop it, or set ${variable}`);
  }
}

function startDetached(part, command, args, options = {}) {
  const log = fs.openSync(logPath(part), 'a');
  fs.writeSync(log, `\n==== ${new Date().toISOString()} starting ${part}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  fs.writeFileSync(pidPath(part), String(child.pid));
  child.unref();
  return child.pid;
}

async function stopPart(part) {
  const pid = runningPid(part);
  if (!pid) return false;
  const signal = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(200);
  if (isAlive(pid)) signal('SIGKILL');
  fs.rmSync(pidPath(part), { force: true });
  return true;
}

async function waitFor(part, pid, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new StackError(`${part} exited while starting: ${lastLogLine(part)}`, `see ${relative(logPath(part))}`);
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(500);
  }
  await stopPart(part);
  throw new StackError(
    `${part} did not become ready in ${timeoutMs / 1000}s${lastError ? ` (${lastError.message})` : ''}`,
    `see ${relative(logPath(part))}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Postgres

async function pgClient(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new StackError(
      `PostgreSQL is unreachable at ${url.replace(/\/\/[^@]*@/, '//')} (${error.message})`,
      'start it, e.g. pg_ctlcluster --skip-systemctl-redirect 15 main start, or set TULITY_PG_ADMIN_URL',
    );
  }
  return client;
}

const quote = (identifier) => `"${identifier.replaceAll('"', '""')}"`;

/** One login role per service; it owns its databases and is the only role (besides superusers) that can connect. */
async function ensureDatabase(admin, role, database) {
  const roleExists = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
  if (roleExists.rowCount === 0) {
    await admin.query(`create role ${quote(role)} login password '${role}'`);
  }
  const dbExists = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (dbExists.rowCount === 0) {
    await admin.query(`create database ${quote(database)} owner ${quote(role)}`);
  }
  await admin.query(`revoke connect, temporary on database ${quote(database)} from public`);
  await admin.query(`grant connect, temporary on database ${quote(database)} to ${quote(role)}`);
}

function allDatabases() {
  const owners = [...services.filter((s) => s.database).map((s) => s.name), ...config.sharedTestDatabases];
  const list = [{ role: `tulity_registry`, database: registry.database }];
  for (const name of owners) {
    if (!config.sharedTestDatabases.includes(name)) list.push(config.databaseOf(name));
    list.push(config.databaseOf(name, { test: true }));
  }
  return list;
}

async function withAdmin(work) {
  const admin = await pgClient(postgres.adminUrl);
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function ensureDatabases() {
  const all = allDatabases();
  await withAdmin(async (admin) => {
    for (const { role, database } of all) await ensureDatabase(admin, role, database);
  });
  say(`postgres: ready (${all.length} databases, one role each)`);
}

const dropDatabase = (admin, database) => admin.query(`drop database if exists ${quote(database)} with (force)`);

async function dropDatabases() {
  await withAdmin(async (admin) => {
    for (const { database } of allDatabases()) await dropDatabase(admin, database);
  });
}

/** Every test run starts from empty test databases: nothing left over from an earlier run or branch. */
async function recreateTestDatabases() {
  const tests = allDatabases().filter(({ database }) => database.endsWith('_test'));
  await withAdmin(async (admin) => {
    for (const { role, database } of tests) {
      await dropDatabase(admin, database);
      await ensureDatabase(admin, role, database);
    }
  });
  say(`postgres: ${tests.length} test databases recreated empty`);
}

// ---------------------------------------------------------------------------------------------
// Kafka (single-node KRaft)

async function startKafka() {
  const existing = runningPid('kafka');
  if (existing) {
    say(`kafka: already running (pid ${existing}) on ${kafka.brokers}`);
    return false;
  }
  await requireFreePort(kafka.port, 'kafka', 'TULITY_KAFKA_PORT');
  await requireFreePort(kafka.controllerPort, 'the kafka controller', 'TULITY_KAFKA_CONTROLLER_PORT');
  const dataDir = path.join(dirs.data, 'kafka');
  const propertiesFile = path.join(dirs.run, 'kafka.properties');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    propertiesFile,
    kafkaProperties({ port: kafka.port, controllerPort: kafka.controllerPort, dataDir }),
  );
  const classpath = `${kafkaHome}/*`;
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    say('kafka: formatting storage');
    const format = formatKafkaStorage(classpath, propertiesFile);
    fs.appendFileSync(logPath('kafka'), format.stdout + format.stderr);
    if (format.status !== 0) throw new StackError('kafka storage format failed', `see ${relative(logPath('kafka'))}`);
  }
  const pid = startDetached('kafka', 'java', [
    `-Xms${kafka.heap}`,
    `-Xmx${kafka.heap}`,
    '-XX:+UseG1GC',
    kafkaLog4j,
    '-cp',
    classpath,
    'kafka.Kafka',
    propertiesFile,
  ]);
  say(`kafka: starting (pid ${pid}), waiting for broker metadata on ${kafka.brokers}`);
  await waitFor('kafka', pid, kafkaAnswers, 120_000);
  say('kafka: ready');
  return true;
}

/** True once the broker serves metadata and the group coordinator answers. */
async function kafkaAnswers() {
  if (!(await portOpen(kafka.port))) return false;
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    // Creates __consumer_offsets and waits for its coordinator, so the first consumer group does not.
    await admin.fetchOffsets({ groupId: 'tulity-stack-probe', topics: [] });
    return true;
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Apicurio Registry (Confluent-compatible API), storing its schemas in Postgres so ids survive restarts

async function startRegistry() {
  const existing = runningPid('registry');
  if (existing) {
    say(`registry: already running (pid ${existing}) at ${registry.url}`);
    return false;
  }
  await requireFreePort(registry.port, 'the schema registry', 'TULITY_REGISTRY_PORT');
  const home = registryHome;
  const runnerJar = fs.readdirSync(home).find((f) => f.endsWith('-runner.jar'));
  if (!runnerJar) throw new StackError(`no runner jar in ${relative(home)}`, 'delete .stack/cache and run again');
  const launch = schemaRegistry.launchCommand({ home, runnerJar, host, settings: registry, postgres });
  const pid = startDetached('registry', launch.command, launch.args, { cwd: launch.cwd, env: launch.env });
  say(`registry: starting (pid ${pid}), waiting for ${registry.url}/subjects`);
  await waitFor('registry', pid, () => schemaRegistry.answers(registry.url), 180_000);
  say('registry: ready');
  return true;
}

/** Apicurio checks nothing until a rule exists: set the global compatibility every start. */
async function setGlobalCompatibility() {
  try {
    await schemaRegistry.setGlobalCompatibility(registry.url);
  } catch (error) {
    throw new StackError(error.message, `see ${relative(logPath('registry'))}`);
  }
  say(`registry: global compatibility ${registry.globalCompatibility}`);
}

// ---------------------------------------------------------------------------------------------
// Commands

/** Brings up Postgres databases, Kafka and the registry; returns the parts this call started. */
async function up() {
  ensureDirs();
  ensureNodeModules();
  fetchJvmParts();
  await ensureDatabases();
  const started = [];
  try {
    if (await startKafka()) started.push('kafka');
    if (await startRegistry()) started.push('registry');
    await setGlobalCompatibility();
    await registerContracts();
  } catch (error) {
    // Never leave a half-started stack behind.
    for (const part of started.reverse()) await stopPart(part);
    throw error;
  }
  return started;
}

/** Every event subject registered with its level, and every topic created, before any service runs. */
async function registerContracts() {
  for (const script of ['contracts:register', 'contracts:topics']) {
    const result = spawnSync('npm', ['run', '--silent', script], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...config.stackEnv() },
    });
    if (result.status !== 0) throw new StackError(`npm run ${script} failed`, 'see the output above');
  }
}

async function down(parts = ['prometheus', 'alertmanager', 'lag-exporter', 'registry', 'kafka']) {
  ensureDirs();
  for (const part of parts) {
    say(`${part}: ${(await stopPart(part)) ? 'stopped' : 'not running'}`);
  }
}

async function status() {
  ensureDirs();
  const parts = [
    ['kafka', kafka.port, kafka.brokers],
    ['registry', registry.port, registry.url],
    ['prometheus', prometheusPort, `http://${host}:${prometheusPort}`],
    ['alertmanager', alertmanagerPort, `http://${host}:${alertmanagerPort}`],
    ['lag-exporter', lagExporterPort, `http://${host}:${lagExporterPort}/metrics`],
  ];
  for (const [part, port, address] of parts) {
    const pid = runningPid(part);
    const answering = await portOpen(port);
    const state = pid ? (answering ? 'up' : 'starting') : answering ? 'port taken by another process' : 'down';
    say(`${part.padEnd(12)} ${state.padEnd(8)} ${address}${pid ? ` pid ${pid}` : ''}  log ${relative(logPath(part))}`);
  }
}

function logs(args) {
  ensureDirs();
  const follow = args.includes('-f');
  const wanted = args.filter((a) => a !== '-f');
  const files = fs
    .readdirSync(dirs.logs)
    .filter((f) => f.endsWith('.log'))
    .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.log$/, '')))
    .map((f) => path.join(dirs.logs, f));
  if (files.length === 0) {
    say(`no logs yet in ${relative(dirs.logs)}`);
    return;
  }
  spawnSync('tail', [follow ? '-F' : '-n', ...(follow ? [] : ['40']), ...files], { stdio: 'inherit' });
}

async function reset() {
  await down();
  fs.rmSync(dirs.data, { recursive: true, force: true });
  fs.rmSync(dirs.logs, { recursive: true, force: true });
  fs.rmSync(dirs.run, { recursive: true, force: true });
  await dropDatabases();
  say('reset: data, logs and databases removed (downloads in .stack/cache kept)');
}

/** The first admin's password: from TULITY_ADMIN_PASSWORD, or generated once and kept. */
function adminPassword() {
  if (process.env.TULITY_ADMIN_PASSWORD) return process.env.TULITY_ADMIN_PASSWORD;
  const file = path.join(dirs.data, 'admin-password');
  if (fs.existsSync(file)) {
    say(`admin password: in ${relative(file)}`);
    return fs.readFileSync(file, 'utf8').trim();
  }
  let password;
  // accounts refuses a password that contains the username.
  do password = randomBytes(12).toString('base64url');
  while (password.toLowerCase().includes('admin'));
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  // accounts makes this the admin's password only if it has no admin yet (a fresh database).
  say(
    `first admin: user "admin", password "${password}" (kept in ${relative(file)}; used when accounts has no admin yet)`,
  );
  return password;
}

function serviceEnv(service) {
  const env = { ...config.stackEnv(), PORT: String(service.port), TULITY_SERVICE: service.name };
  if (service.database) env.DATABASE_URL = config.databaseOf(service.name, { test: config.useTestDatabases }).url;
  if (service.name === 'accounts') env.TULITY_ADMIN_PASSWORD = adminPassword();
  // The Bearer token Alertmanager's webhook sends (observability/alertmanager.yml).
  if (service.name === 'notifications')
    env.TULITY_ALERT_WEBHOOK_SECRET = monitoring.webhookSecret(config.alertWebhookSecretFile);
  env.TULITY_SERVICE_URLS = JSON.stringify(
    Object.fromEntries(services.map((s) => [s.name, `http://${host}:${s.port}`])),
  );
  return env;
}

/** Everything, in the foreground: infrastructure, then each service; Ctrl-C stops what this started. */
async function start() {
  const runnable = services.filter((s) => fs.existsSync(path.join(root, 'services', s.name, 'src', 'main.ts')));
  // Every service port is checked before anything starts, so a taken port leaves nothing behind.
  for (const service of runnable) {
    await requireFreePort(service.port, service.name, 'TULITY_PORT_OFFSET (shifts every service port)');
  }
  buildWebClient({ ifChanged: true });
  const startedInfra = await up();
  const supervisors = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping');
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    await down([...startedInfra].reverse());
    process.exit(code);
  };
  const fail = (message, part) => {
    console.error(`[stack] ✗ ${message}: ${lastLogLine(part)} — see ${relative(logPath(part))}`);
    return stopAll(1);
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  // A crashed service is restarted with backoff (stack/supervisor.mjs); only one that keeps
  // crashing before it is ever ready stops the stack.
  for (const service of runnable) {
    const env = { ...process.env, ...serviceEnv(service) };
    const log = fs.createWriteStream(logPath(service.name), { flags: 'a' });
    const launch = () => {
      const main = path.join('services', service.name, 'src', 'main.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', main], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      return child;
    };
    supervisors.push(
      supervise({
        name: service.name,
        launch,
        isReady: async () => (await fetch(`http://${host}:${service.port}/health/ready`)).ok,
        say,
        giveUp: (line) => fail(line, service.name),
      }),
    );
  }
  for (const [index, service] of runnable.entries()) {
    const deadline = Date.now() + 90_000;
    while (!supervisors[index].everReady) {
      if (stopping) return;
      if (Date.now() > deadline) return fail(`${service.name} is not ready`, service.name);
      await sleep(300);
    }
    say(
      `${service.name.padEnd(13)} http://${host}:${service.port}  (pid ${supervisors[index].pid}, log ${relative(logPath(service.name))})`,
    );
  }
  try {
    if (await startLagExporter()) startedInfra.push('lag-exporter');
  } catch (error) {
    return fail(`lag exporter did not start (${error.message})`, 'lag-exporter');
  }
  if (ensureObservabilityTools({ required: false })) {
    for (const [part, launch] of [
      ['alertmanager', startAlertmanager],
      ['prometheus', startPrometheus],
    ]) {
      if (await launch().catch((error) => say(`${part}: not started (${error.message})`))) startedInfra.push(part);
    }
  }
  say(`kafka ${kafka.brokers} · registry ${registry.url}`);
  say('everything is up. Ctrl-C stops it.');
}

/**
 * Debian's prometheus (with promtool) and prometheus-alertmanager, installed as root by
 * observability/install-tools.sh. `required`: the tests cannot run without them; `npm start` runs
 * without them (saying so) when they are missing and cannot be installed.
 */
function ensureObservabilityTools({ required }) {
  const result = spawnSync('bash', [path.join(root, 'observability', 'install-tools.sh')], { stdio: 'inherit' });
  if (result.status === 0) return true;
  if (required)
    throw new StackError(
      'prometheus and prometheus-alertmanager are missing',
      'run bash observability/install-tools.sh as root',
    );
  say('prometheus, alertmanager: not installed, skipped (bash observability/install-tools.sh as root installs them)');
  return false;
}

/** This run's ports in place of the checked-in configuration's defaults. */
function monitoringPorts() {
  const ports = Object.fromEntries(services.map((s) => [s.defaultPort, s.port]));
  ports[monitoring.defaultPorts.alertmanager] = alertmanagerPort;
  ports[monitoring.defaultPorts.lagExporter] = lagExporterPort;
  return ports;
}

/** A detached monitoring process with a pid file, stopped by `down` like Kafka and the registry. */
async function startMonitoringPart(part, port, variable, command, args, env = {}) {
  const existing = runningPid(part);
  if (existing) {
    say(`${part}: already running (pid ${existing})`);
    return false;
  }
  await requireFreePort(port, part, variable);
  const pid = startDetached(part, command, args, { env });
  const readyPath = part === 'lag-exporter' ? '/health/ready' : '/-/ready';
  await waitFor(part, pid, async () => (await fetch(`http://${host}:${port}${readyPath}`)).ok, 60_000);
  return true;
}

/** The broker-side consumer-lag exporter, watching the services' consumer groups. */
async function startLagExporter() {
  const groups = services.filter((s) => s.database).map((s) => s.name);
  const started = await startMonitoringPart(
    'lag-exporter',
    lagExporterPort,
    'TULITY_LAG_EXPORTER_PORT',
    process.execPath,
    ['--import', 'tsx', path.join(root, 'observability', 'lag-exporter', 'main.ts')],
    { ...config.stackEnv(), PORT: String(lagExporterPort), TULITY_LAG_GROUPS: `^(${groups.join('|')})$` },
  );
  say(`${'lag exporter'.padEnd(13)} http://${host}:${lagExporterPort}/metrics`);
  return started;
}

/** Alertmanager, sending every alert to the notifications service's webhook with the shared secret. */
async function startAlertmanager() {
  const configFile = path.join(dirs.run, 'alertmanager.yml');
  const notifications = services.find((s) => s.name === 'notifications');
  monitoring.webhookSecret(config.alertWebhookSecretFile);
  fs.writeFileSync(
    configFile,
    await monitoring.alertmanagerConfig({
      webhookUrl: `http://${host}:${notifications.port}/internal/alertmanager`,
      credentialsFile: config.alertWebhookSecretFile,
    }),
  );
  const started = await startMonitoringPart(
    'alertmanager',
    alertmanagerPort,
    'TULITY_ALERTMANAGER_PORT',
    'prometheus-alertmanager',
    monitoring.alertmanagerArgs({
      configFile,
      storageDir: path.join(dirs.data, 'alertmanager'),
      host,
      port: alertmanagerPort,
    }),
  );
  say(`${'alertmanager'.padEnd(13)} http://${host}:${alertmanagerPort}`);
  return started;
}

/** Prometheus scraping every service and the lag exporter, with the alert rules, alerting Alertmanager. */
async function startPrometheus() {
  const configFile = path.join(dirs.run, 'prometheus.yml');
  fs.writeFileSync(configFile, await monitoring.prometheusConfig({ ports: monitoringPorts() }));
  const started = await startMonitoringPart(
    'prometheus',
    prometheusPort,
    'TULITY_PROMETHEUS_PORT',
    'prometheus',
    monitoring.prometheusArgs({
      configFile,
      storageDir: path.join(dirs.data, 'prometheus'),
      host,
      port: prometheusPort,
    }),
  );
  say(`${'prometheus'.padEnd(13)} http://${host}:${prometheusPort}  (alerts: http://${host}:${prometheusPort}/alerts)`);
  return started;
}

/** The browser app the web service serves (services/web/dist/client); a failed build stops here. */
function buildWebClient({ ifChanged }) {
  try {
    buildClient({ ifChanged, say });
  } catch (error) {
    throw new StackError(`the browser app did not build (${error.message})`, 'see the Vite output above');
  }
}

/** Debian's chromium for the browser tests (services/web/scripts/install-chromium.sh says why when it cannot). */
function ensureChromium() {
  spawnSync('bash', [path.join(root, 'services', 'web', 'scripts', 'install-chromium.sh')], { stdio: 'inherit' });
}

/**
 * Some suites start the whole system themselves (the start-up and browser tests) with the
 * services' own consumer group names on this broker: beside a running `npm start` they would take
 * its events into the test databases.
 */
async function refuseBesideRunningServices() {
  const running = [];
  for (const service of services) if (await portOpen(service.port)) running.push(`${service.name} :${service.port}`);
  if (running.length > 0) {
    throw new StackError(
      `services are running (${running.join(', ')}); the tests start their own and would share their Kafka consumer groups`,
      'stop `npm start` (Ctrl-C) first; one suite against the running stack: node stack/run-tests.mjs <path>',
    );
  }
}

async function test(args) {
  await refuseBesideRunningServices();
  ensureObservabilityTools({ required: true });
  ensureChromium();
  buildWebClient({ ifChanged: false });
  await up();
  await recreateTestDatabases();
  const result = spawnSync(process.execPath, [path.join(root, 'stack', 'run-tests.mjs'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...config.stackEnv() },
  });
  say('the stack is left running for the next run; `npm run stack:down` stops it');
  process.exit(result.status ?? 1);
}

const commands = {
  up: async () => {
    await up();
    say(`up: kafka ${kafka.brokers}, registry ${registry.url}`);
  },
  down: () => down(),
  status,
  logs,
  reset,
  fetch: () => {
    ensureDirs();
    fetchJvmParts();
    say('fetch: done');
  },
  start,
  test,
};

const [command = 'status', ...rest] = process.argv.slice(2);
const run = commands[command];
if (!run) {
  console.error(`[stack] unknown command "${command}"; one of: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
try {
  await run(rest);
} catch (error) {
  if (error instanceof StackError) {
    console.error(`[stack] ✗ ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
    process.exit(1);
  }
  throw error;
}
