// Where a measured run's CPU went, machine-wide: every process's utime + stime from /proc before and
// after the run, told apart by what it is (a service, the Postgres backends of a database, Kafka,
// the registry, the bare servers, the bench's own load generator), per request answered. A write
// whose event three services apply costs far more than its HTTP path, and this shows where.
import pg from 'pg';
import { commandLineOf, cpuByPid, pidFromFile } from './proc';
import type { CpuShare } from './model';

/** Groups below this share of the total are summed into "other". */
const SMALLEST_SHARE = 0.02;

/**
 * The CPU each group spent between two readings, in µs per request, the largest first; groups under
 * 2 % of the total, and processes `nameOf` does not know, go to "other". A process that started
 * during the run counts from zero; one that ended is not seen.
 */
export function perRequest(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  nameOf: (pid: number) => string | undefined,
  requests: number,
): CpuShare[] {
  if (requests <= 0) return [];
  const byGroup = new Map<string, number>();
  for (const [pid, seconds] of after) {
    const spent = seconds - (before.get(pid) ?? 0);
    if (spent <= 0) continue;
    const group = nameOf(pid) ?? 'other';
    byGroup.set(group, (byGroup.get(group) ?? 0) + spent);
  }
  const total = [...byGroup.values()].reduce((sum, spent) => sum + spent, 0);
  let other = byGroup.get('other') ?? 0;
  const shares: CpuShare[] = [];
  for (const [who, spent] of byGroup) {
    if (who === 'other') continue;
    if (spent < total * SMALLEST_SHARE) other += spent;
    else shares.push({ who, micros: (spent / requests) * 1e6 });
  }
  shares.sort((a, b) => b.micros - a.micros);
  if (other > 0) shares.push({ who: 'other', micros: (other / requests) * 1e6 });
  return shares;
}

/** What the processes of the machine are, as far as the bench knows them. */
export interface Processes {
  /** Each service's pid, when found. */
  services: Record<string, number | null>;
  /** Kafka's and the registry's pid files. */
  pidFiles: Record<string, string>;
  /** Each service's database name. */
  databases: Record<string, string>;
  /** Reads pid → database of the Postgres backends (pg_stat_activity). */
  pgAdminUrl: string;
}

export interface CpuAccounting {
  start(): Map<number, number>;
  finish(before: Map<number, number>, requests: number): Promise<CpuShare[]>;
}

async function backendDatabases(pgAdminUrl: string): Promise<Map<number, string>> {
  const client = new pg.Client({ connectionString: pgAdminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; datname: string | null }>(
      'select pid, datname from pg_stat_activity',
    );
    return new Map(rows.map((row) => [row.pid, row.datname ?? '']));
  } finally {
    await client.end();
  }
}

const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

/** Names the machine's processes for `perRequest`, reading Postgres's backends after each run. */
export function cpuAccounting(processes: Processes): CpuAccounting {
  const named = new Map<number, string>();
  for (const [service, pid] of Object.entries(processes.services)) if (pid !== null) named.set(pid, service);
  for (const [what, file] of Object.entries(processes.pidFiles)) {
    const pid = pidFromFile(file);
    if (pid !== null) named.set(pid, what);
  }
  named.set(process.pid, 'the bench (load generator)');
  const serviceOfDatabase = new Map(Object.entries(processes.databases).map(([service, db]) => [db, service]));
  return {
    start: cpuByPid,
    async finish(before, requests) {
      const after = cpuByPid();
      let backends = new Map<number, string>();
      try {
        backends = await backendDatabases(processes.pgAdminUrl);
      } catch {
        // Without Postgres's list its backends count as "other".
      }
      const nameOf = (pid: number) => {
        const known = named.get(pid);
        if (known) return known;
        const database = backends.get(pid);
        if (database !== undefined) {
          const service = serviceOfDatabase.get(database);
          if (service) return `${possessive(service)} Postgres`;
          return database.startsWith('tulity_bench_') ? "bare servers' Postgres" : undefined;
        }
        return commandLineOf(pid).includes('bench/baseline-server.ts') ? 'bare servers' : undefined;
      };
      return perRequest(before, after, nameOf, requests);
    },
  };
}
