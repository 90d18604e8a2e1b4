// The chaos run's own complete stack, apart from the team's: its own stack folder under .chaos/,
// its own broker and registry ports, its own databases (tulity_<service>_chaos) and HTTP ports
// shifted by 3000. It is `npm start` (stack/cli.mjs, whose supervisor restarts crashed services)
// with that environment. Every signal this file sends goes to a process proven to be this stack's.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import * as config from '../stack/config.mjs';

export const chaosDir = path.join(config.root, '.chaos');
export const stackDir = path.join(chaosDir, 'stack');
const runDir = path.join(stackDir, 'run');
const logDir = path.join(stackDir, 'logs');

export const ports = { offset: 3000, kafka: 29092, kafkaController: 29093, registry: 28081 };
export const databaseSuffix = 'chaos';
export const serviceNames = ['accounts', 'notifications', 'products', 'transactions'] as const;
export type ServiceName = (typeof serviceNames)[number];
export const adminPassword = 'Chaos-Shop-Pass-7-kv';
export const kafkaBrokers = `127.0.0.1:${ports.kafka}`;
export const registryUrl = `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`;

export const databaseName = (service: ServiceName) => `tulity_${service}_${databaseSuffix}`;
export const databaseUrl = (service: ServiceName) =>
  `postgres://tulity_${service}:tulity_${service}@${config.postgres.host}:${config.postgres.port}/${databaseName(service)}`;
// The registry's database (tulity_registry_chaos) is kept from run to run: registering every
// schema anew on a cold registry times out on a loaded machine, and stored schemas change nothing
// (each run starts with an empty broker). `dropOwnDatabases({ registry: true })` removes it too.
const serviceDatabases = serviceNames.map(databaseName);
const registryDatabase = `tulity_registry_${databaseSuffix}`;

export const servicePort = (service: ServiceName | 'web') =>
  config.services.find((s: { name: string }) => s.name === service)!.defaultPort + ports.offset;

/** The environment of this stack's `npm start`: nothing in it points at the shared parts. */
export function stackEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TULITY_STACK_DIR: stackDir,
    // The downloads are shared (read only); everything the stack writes stays in stackDir.
    TULITY_STACK_CACHE: config.dirs.cache,
    TULITY_KAFKA_PORT: String(ports.kafka),
    TULITY_KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
    TULITY_REGISTRY_PORT: String(ports.registry),
    TULITY_PORT_OFFSET: String(ports.offset),
    TULITY_DATABASE_SUFFIX: databaseSuffix,
    TULITY_ADMIN_PASSWORD: adminPassword,
    TULITY_USE_TEST_DATABASES: '0',
    TULITY_KAFKA_HEAP: '512m',
    // The faults read the services' logs (a standby relay says when it takes over); under jest,
    // NODE_ENV=test would silence them.
    LOG_LEVEL: 'info',
    // Apicurio opens 20 Postgres sessions by default; the server is shared by the whole team.
    APICURIO_DATASOURCE_JDBC_MIN_SIZE: '2',
    APICURIO_DATASOURCE_JDBC_INITIAL_SIZE: '2',
    APICURIO_DATASOURCE_JDBC_MAX_SIZE: '10',
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: config.postgres.adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops this stack's databases (and only those: their names end in _chaos). */
export async function dropOwnDatabases({ registry = false } = {}): Promise<void> {
  await withAdmin(async (admin) => {
    for (const name of [...serviceDatabases, ...(registry ? [registryDatabase] : [])])
      await admin.query(`drop database if exists "${name}" with (force)`);
  });
}

/** Ends every session of one service's chaos database; returns how many. */
export async function terminateConnections(service: ServiceName): Promise<number> {
  return withAdmin(async (admin) => {
    const result = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [databaseName(service)],
    );
    return result.rowCount ?? 0;
  });
}

const procText = (pid: number, file: string) => {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};
const environOf = (pid: number) =>
  Object.fromEntries(
    procText(pid, 'environ')
      .split('\0')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ) as Record<string, string>;
const cmdlineOf = (pid: number) => procText(pid, 'cmdline').split('\0').filter(Boolean);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Throws unless `pid` runs with this stack's folder in its environment: never signal the team's processes. */
function assertOwn(pid: number, what: string, extra: (cmdline: string[], env: Record<string, string>) => boolean) {
  const env = environOf(pid);
  const cmdline = cmdlineOf(pid);
  if (env.TULITY_STACK_DIR !== stackDir || !extra(cmdline, env))
    throw new Error(`refusing to signal pid ${pid}: it is not this chaos stack's ${what}`);
}

/** A process that can be restarted as it was: its command line, folder and environment. */
interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export type InfraPart = 'kafka' | 'registry';

export class ChaosStack {
  private output = '';
  private readonly pids = new Map<ServiceName, number>();
  private readonly extras = new Set<ChildProcess>();

  private constructor(private readonly cli: ChildProcess) {
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output += text;
      fs.appendFileSync(path.join(chaosDir, 'stack-output.log'), text);
      for (const match of text.matchAll(/^\[stack\] (\w+)\s+http:\/\/\S+\s+\(pid (\d+)/gm))
        this.pids.set(match[1] as ServiceName, Number(match[2]));
      for (const match of text.matchAll(/^\[stack\] (\w+): ready again after restart \d+ \(pid (\d+)\)/gm))
        this.pids.set(match[1] as ServiceName, Number(match[2]));
    };
    cli.stdout!.on('data', collect);
    cli.stderr!.on('data', collect);
  }

  /**
   * A fresh stack: empty folder and databases, then `npm start` until everything is up. A start
   * that fails (on a loaded machine a cold registry can time out the first registrations) is tried
   * again once, keeping what the failed one already stored.
   */
  static async start(say: (line: string) => void): Promise<ChaosStack> {
    fs.mkdirSync(chaosDir, { recursive: true });
    for (const dir of ['data', 'logs', 'run']) fs.rmSync(path.join(stackDir, dir), { recursive: true, force: true });
    fs.writeFileSync(path.join(chaosDir, 'stack-output.log'), '');
    await dropOwnDatabases();
    say(
      `stack: starting its own (kafka :${ports.kafka}, registry :${ports.registry}, services +${ports.offset}, *_${databaseSuffix} databases)`,
    );
    for (let attempt = 1; ; attempt++) {
      const cli = spawn(process.execPath, [path.join(config.root, 'stack', 'cli.mjs'), 'start'], {
        cwd: config.root,
        env: stackEnvironment(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stack = new ChaosStack(cli);
      while (!stack.output.includes('everything is up') && cli.exitCode === null && cli.signalCode === null)
        await sleep(250);
      if (stack.output.includes('everything is up')) {
        say('stack: up');
        return stack;
      }
      const tail = stack.output.split('\n').slice(-8).join('\n');
      if (attempt === 2) throw new Error(`the chaos stack did not start in 2 attempts:\n${tail}`);
      say(`stack: start attempt ${attempt} failed, trying again:\n${tail}`);
    }
  }

  get log(): string {
    return this.output;
  }

  /** The supervised process of a service, checked to be this stack's. */
  servicePid(service: ServiceName): number {
    const pid = this.pids.get(service);
    if (!pid) throw new Error(`no pid known for ${service}`);
    assertOwn(pid, service, (cmdline) => cmdline.some((arg) => arg.endsWith(`services/${service}/src/main.ts`)));
    return pid;
  }

  killService(service: ServiceName): number {
    const pid = this.servicePid(service);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** The broker's or registry's pid from this stack's pid file, checked against its command line. */
  infraPid(part: InfraPart): number {
    const pid = Number(fs.readFileSync(path.join(runDir, `${part}.pid`), 'utf8'));
    assertOwn(pid, part, (cmdline, env) =>
      part === 'kafka'
        ? cmdline.includes(path.join(runDir, 'kafka.properties'))
        : env.QUARKUS_HTTP_PORT === String(ports.registry),
    );
    return pid;
  }

  /** Stops a part (SIGKILL or SIGTERM) and returns how to start it again exactly as it ran. */
  async stopInfra(part: InfraPart, signal: 'SIGKILL' | 'SIGTERM'): Promise<Launch> {
    const pid = this.infraPid(part);
    const [command, ...args] = cmdlineOf(pid);
    const launch = { command: command!, args, cwd: fs.readlinkSync(`/proc/${pid}/cwd`), env: environOf(pid) };
    process.kill(pid, signal);
    for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    return launch;
  }

  /** Starts a part again as it ran, detached like the stack starts it, and records its pid for `down`. */
  restartInfra(part: InfraPart, launch: Launch): number {
    const log = fs.openSync(path.join(logDir, `${part}.log`), 'a');
    fs.writeSync(log, `\n==== ${new Date().toISOString()} restarted by the chaos run\n`);
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    fs.writeFileSync(path.join(runDir, `${part}.pid`), String(child.pid));
    child.unref();
    return child.pid!;
  }

  pauseKafka(): number {
    const pid = this.infraPid('kafka');
    process.kill(pid, 'SIGSTOP');
    return pid;
  }

  resumeKafka(pid: number): void {
    // Checked again: the pid was this stack's broker when it was stopped, and a stopped process keeps its pid.
    this.infraPid('kafka');
    process.kill(pid, 'SIGCONT');
  }

  /** One more process of a service with only `roles` (a second consumer, a standby relay), logging to its own file. */
  spawnRoles(service: ServiceName, roles: string, name: string): { child: ChildProcess; logFile: string } {
    const env = environOf(this.servicePid(service));
    const logFile = path.join(logDir, `${name}.log`);
    const log = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('services', service, 'src', 'main.ts')], {
      cwd: config.root,
      env: { ...env, TULITY_ROLES: roles },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.extras.add(child);
    child.once('exit', () => this.extras.delete(child));
    return { child, logFile };
  }

  async stopExtra(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** Ctrl-C to `npm start` (it stops the services and the parts it started), then the databases go. */
  async stop(): Promise<void> {
    for (const child of [...this.extras]) await this.stopExtra(child, 'SIGKILL');
    if (this.cli.exitCode === null && this.cli.signalCode === null) {
      const exited = new Promise((resolve) => this.cli.once('exit', resolve));
      this.cli.kill('SIGINT');
      const timer = setTimeout(() => this.cli.kill('SIGKILL'), 90_000);
      await exited;
      clearTimeout(timer);
    }
    await dropOwnDatabases();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
