// The running stack the bench measures: where each service answers, its database, its process.
import fs from 'node:fs';
import path from 'node:path';
import type { ShopUrls } from '../test/shop/client';

export const SERVICES = ['accounts', 'notifications', 'products', 'transactions'] as const;
export type Service = (typeof SERVICES)[number];

export interface Stack {
  /** Each service's root URL (health and metrics live there; the API under /api/v1). */
  urls: Record<Service, string>;
  /** Each service's database, reached as the Postgres admin (the counts read every outbox and inbox). */
  databases: Record<Service, string>;
  adminPassword: string;
  /** Where `npm start` keeps its pid files. */
  runDir: string;
}

export const apiUrls = (stack: Stack): ShopUrls => ({
  accounts: `${stack.urls.accounts}/api/v1`,
  notifications: `${stack.urls.notifications}/api/v1`,
  products: `${stack.urls.products}/api/v1`,
  transactions: `${stack.urls.transactions}/api/v1`,
});

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Refuses to go on, naming what does not answer, unless every service answers its liveness check. */
export async function assertRunning(stack: Stack): Promise<void> {
  const silent: string[] = [];
  await Promise.all(
    SERVICES.map(async (service) => {
      const url = `${stack.urls[service]}/health/live`;
      const ok = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (!ok) silent.push(`${service} (${url})`);
    }),
  );
  if (silent.length > 0) {
    throw new Error(
      `the stack is not running: ${silent.sort().join(', ')} did not answer. Start it with \`npm start\`, ` +
        'or point the bench at another one (--accounts-url … or BENCH_ACCOUNTS_URL …, see `npm run bench -- --help`).',
    );
  }
}

/** The first admin's password: TULITY_ADMIN_PASSWORD, else the stack's data file. */
export function adminPassword(stackDir: string): string {
  if (process.env.TULITY_ADMIN_PASSWORD) return process.env.TULITY_ADMIN_PASSWORD;
  const file = path.join(stackDir, 'data', 'admin-password');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`no admin password: set TULITY_ADMIN_PASSWORD or start the stack once (it writes ${file})`);
  }
}
