// The faults, one after another. Each `inject` returns once the fault has ended — the process
// restarted (by the stack's supervisor, or by the run where an operator's restart is the point),
// the broker resumed, the extra instance stopped — and says what it did.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import * as config from '../stack/config.mjs';
import {
  kafkaBrokers,
  ports,
  registryUrl,
  sleep,
  terminateConnections,
  type ChaosStack,
  type ServiceName,
} from './stack';

export interface FaultContext {
  stack: ChaosStack;
  say: (line: string) => void;
  /** How long a fault with a duration of its own is held. */
  holdMs: number;
}

export interface Fault {
  name: string;
  inject(context: FaultContext): Promise<string>;
}

/** Longer than the consumers' session timeout (30 s, adapters/src/events/consumer.ts), so the group expels them. */
const pastSessionTimeoutMs = 36_000;
const withinMs = 180_000;

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = withinMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Members of a consumer group as the broker sees them. */
async function groupMembers(groupId: string): Promise<number> {
  const admin = new Kafka({ brokers: [kafkaBrokers], clientId: 'chaos-faults', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

/** True when the process has an established TCP connection to Postgres. */
function holdsPostgresSession(pid: number): boolean {
  const listing = spawnSync('ss', ['-tnpH', 'state', 'established', `( dport = :${config.postgres.port} )`], {
    encoding: 'utf8',
  });
  return listing.stdout.includes(`pid=${pid},`);
}

const restartsSeen = (stack: ChaosStack, service: ServiceName) =>
  [...stack.log.matchAll(new RegExp(`\\[stack\\] ${service}: ready again after restart`, 'g'))].length;

/** SIGKILL of a service's process (its API, relay and consumer roles); `npm start`'s supervisor brings it back. */
export const killService = (service: ServiceName): Fault => ({
  name: `kill -9 ${service}`,
  async inject({ stack }) {
    const before = restartsSeen(stack, service);
    const pid = stack.killService(service);
    await until(`${service} restarted by the supervisor`, () => restartsSeen(stack, service) > before);
    return `pid ${pid} killed; restarted as pid ${stack.servicePid(service)} by the supervisor`;
  },
});

export const killKafka: Fault = {
  name: 'kill -9 kafka',
  async inject({ stack, holdMs }) {
    const launch = await stack.stopInfra('kafka', 'SIGKILL');
    await sleep(holdMs);
    const pid = stack.restartInfra('kafka', launch);
    await until('kafka listening again', () => portOpen(ports.kafka));
    return `broker killed, down ${holdMs / 1000}s, restarted as pid ${pid}`;
  },
};

export const pauseKafka: Fault = {
  name: 'SIGSTOP kafka',
  async inject({ stack, holdMs }) {
    const heldMs = Math.max(holdMs, pastSessionTimeoutMs);
    const pid = stack.pauseKafka();
    await sleep(heldMs);
    stack.resumeKafka(pid);
    return `broker paused ${heldMs / 1000}s (past the 30 s session timeout), then SIGCONT`;
  },
};

export const stopRegistry: Fault = {
  name: 'registry stopped',
  async inject({ stack, holdMs }) {
    const launch = await stack.stopInfra('registry', 'SIGTERM');
    await sleep(holdMs);
    const pid = stack.restartInfra('registry', launch);
    await until('the registry answering again', async () => {
      const response = await fetch(`${registryUrl}/subjects`).catch(() => undefined);
      return response?.ok === true;
    });
    return `registry stopped ${holdMs / 1000}s, restarted as pid ${pid}`;
  },
};

export const terminateDatabaseSessions = (service: ServiceName): Fault => ({
  name: `pg_terminate_backend ${service}`,
  async inject({ holdMs }) {
    // Repeated over the hold, so sessions opened again in between are cut too.
    let total = 0;
    const deadline = Date.now() + holdMs;
    do {
      total += await terminateConnections(service);
      await sleep(2000);
    } while (Date.now() < deadline);
    return `${total} sessions of tulity_${service}_chaos terminated over ${holdMs / 1000}s`;
  },
});

/** A second consumer of the group joins (partitions move to it), works, and leaves (they move back). */
export const rebalance = (service: ServiceName): Fault => ({
  name: `rebalance ${service}`,
  async inject({ stack, holdMs }) {
    const { child, logFile } = stack.spawnRoles(service, 'consumer', `${service}-second-consumer`);
    await until('the second consumer in the group', async () => {
      if (child.exitCode !== null) throw new Error(`the second consumer exited: see ${logFile}`);
      return (await groupMembers(service)) >= 2;
    });
    await sleep(holdMs);
    await stack.stopExtra(child);
    await until('the group back to one member', async () => (await groupMembers(service)) === 1);
    return `second ${service} consumer (pid ${child.pid}) joined the group for ${holdMs / 1000}s, then stopped`;
  },
});

/**
 * A standby relay (TULITY_ROLES=relay) waits on the advisory lock; the active one's process is
 * killed; the standby must log that it took over. The killed process comes back as a standby.
 */
export const relayFailover = (service: ServiceName): Fault => ({
  name: `relay standby takes over ${service}`,
  async inject({ stack, holdMs }) {
    const { child, logFile } = stack.spawnRoles(service, 'relay', `${service}-standby-relay`);
    // A standby logs nothing until it wins: it is ready once it holds a Postgres session (it has
    // migrated and its relay polls the lock every second). Killing the active relay before that
    // lets the restarted service take the lock back first (seen in a short run on a loaded machine).
    await until('the standby relay connected to Postgres', () => {
      if (child.exitCode !== null) throw new Error(`the standby relay exited: see ${logFile}`);
      return holdsPostgresSession(child.pid!);
    });
    await sleep(3000);
    if (fs.readFileSync(logFile, 'utf8').includes('relay active'))
      throw new Error('the standby took the lock while the service relay was alive');
    const before = restartsSeen(stack, service);
    const pid = stack.killService(service);
    await until('the standby relay active', () => fs.readFileSync(logFile, 'utf8').includes('relay active'));
    await until(`${service} restarted by the supervisor`, () => restartsSeen(stack, service) > before);
    await sleep(holdMs);
    await stack.stopExtra(child);
    return `pid ${pid} (active relay) killed; standby pid ${child.pid} took over, ran ${holdMs / 1000}s, stopped`;
  },
});

export function schedule(cycle: number): Fault[] {
  const rotate = <T>(items: T[]) => items[cycle % items.length]!;
  return [
    killService('accounts'),
    killService('products'),
    killService('transactions'),
    killService('notifications'),
    killKafka,
    pauseKafka,
    stopRegistry,
    terminateDatabaseSessions(rotate<ServiceName>(['products', 'transactions', 'notifications'])),
    rebalance(rotate<ServiceName>(['products', 'transactions', 'notifications'])),
    relayFailover(rotate<ServiceName>(['transactions', 'products', 'accounts'])),
  ];
}
