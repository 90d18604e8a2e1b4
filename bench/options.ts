// `npm run bench -- [flags]`: flags, else environment variables, else the defaults of `npm start`'s stack.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseUrl, SERVICES, type Service } from './stack';

export const STAGES = ['baselines', 'endpoints', 'mix', 'events'] as const;
export type Stage = (typeof STAGES)[number];

export interface BenchOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  rate: number;
  eventSeconds: number;
  mixSeconds: number;
  mixUsers: number;
  /** Minutes of soak; null for the normal run. */
  soakMinutes: number | null;
  soakWarmupSeconds: number;
  stages: Stage[];
  urls: Record<Service, string>;
  databases: Record<Service, string>;
  pgAdminUrl: string;
  stackDir: string;
  baselinePort: number;
  outDir: string;
}

export const usage = `npm run bench -- [flags]
  --connections N         connections per endpoint (32)
  --duration S            measured seconds per endpoint (10), after --warmup S (3) not counted
  --rate N                writes/s of the event end-to-end stage (500), for --event-seconds S (10)
  --mix-seconds S         length of the retail mix (30), --mix-users N simulated tills (32)
  --soak MINUTES          only the mix, that long after --soak-warmup S (60), sampling RSS: reports growth
  --only a,b              stages among ${STAGES.join(', ')} (all)
  --accounts-url URL      and --products-url, --transactions-url, --notifications-url
                          (or BENCH_<SERVICE>_URL; default 127.0.0.1:8011-8014 shifted by TULITY_PORT_OFFSET)
  --pg-admin-url URL      Postgres as an admin (TULITY_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres);
                          service databases tulity_<service> (or BENCH_<SERVICE>_DATABASE_URL)
  --baseline-port N       first of the three baseline ports (8401)
  --out DIR               report folder (.bench)
Admin password: TULITY_ADMIN_PASSWORD, else <stack dir>/data/admin-password.`;

const defaultPorts: Record<Service, number> = {
  accounts: 8011,
  notifications: 8012,
  products: 8013,
  transactions: 8014,
};

function number(name: string, text: string | undefined, fallback: number, { min, max }: { min: number; max: number }) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

/** Parses the flags; throws a message that names the flag at fault. */
export function parseOptions(argv: string[], env: Record<string, string | undefined>, root: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      'event-seconds': { type: 'string' },
      'mix-seconds': { type: 'string' },
      'mix-users': { type: 'string' },
      soak: { type: 'string' },
      'soak-warmup': { type: 'string' },
      only: { type: 'string' },
      'accounts-url': { type: 'string' },
      'notifications-url': { type: 'string' },
      'products-url': { type: 'string' },
      'transactions-url': { type: 'string' },
      'pg-admin-url': { type: 'string' },
      'baseline-port': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const offset = number('TULITY_PORT_OFFSET', env.TULITY_PORT_OFFSET, 0, { min: 0, max: 50_000 });
  const pgAdminUrl = values['pg-admin-url'] ?? env.TULITY_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const urls = {} as Record<Service, string>;
  const databases = {} as Record<Service, string>;
  for (const service of SERVICES) {
    const given = values[`${service}-url`] ?? env[`BENCH_${service.toUpperCase()}_URL`];
    urls[service] = (given ?? `http://127.0.0.1:${defaultPorts[service] + offset}`).replace(/\/+$/, '');
    new URL(urls[service]);
    databases[service] =
      env[`BENCH_${service.toUpperCase()}_DATABASE_URL`] ?? databaseUrl(pgAdminUrl, `tulity_${service}`);
  }
  const stages = (values.only ?? STAGES.join(',')).split(',').map((stage) => stage.trim());
  const unknown = stages.filter((stage) => !(STAGES as readonly string[]).includes(stage));
  if (unknown.length > 0) throw new Error(`--only takes ${STAGES.join(', ')}; not ${unknown.join(', ')}`);
  const soakMinutes = values.soak === undefined ? null : number('soak', values.soak, 10, { min: 0.1, max: 24 * 60 });
  return {
    connections: number('connections', values.connections, 32, { min: 1, max: 1000 }),
    durationSeconds: number('duration', values.duration, 10, { min: 1, max: 3600 }),
    warmupSeconds: number('warmup', values.warmup, 3, { min: 0, max: 600 }),
    rate: number('rate', values.rate, 500, { min: 1, max: 100_000 }),
    eventSeconds: number('event-seconds', values['event-seconds'], 10, { min: 1, max: 3600 }),
    mixSeconds: number('mix-seconds', values['mix-seconds'], 30, { min: 1, max: 24 * 3600 }),
    mixUsers: number('mix-users', values['mix-users'], 32, { min: 1, max: 1000 }),
    soakMinutes,
    soakWarmupSeconds: number('soak-warmup', values['soak-warmup'], 60, { min: 0, max: 3600 }),
    stages: soakMinutes !== null && values.only === undefined ? ['mix'] : (stages as Stage[]),
    urls,
    databases,
    pgAdminUrl,
    stackDir: env.TULITY_STACK_DIR ?? path.join(root, '.stack'),
    baselinePort: number('baseline-port', values['baseline-port'], 8401, { min: 1024, max: 65_533 }),
    outDir: path.resolve(root, values.out ?? '.bench'),
  };
}
