// A realistic retail mix: cashiers logging in, browsing and searching the catalogue, selling,
// reading their notifications; a manager buying stock. Closed loop: each simulated user sends its
// next request when the last one answered. Each service's RSS and CPU are sampled from /proc.
import { randomUUID } from 'node:crypto';
import { ShopError } from '../test/shop/client';
import type { ActionFigures, MixFigures, ProcessFigures } from './model';
import { cpuPercent, sampler, type Sample } from './proc';
import type { Shop } from './seed';
import { spread } from './stats';

export interface MixOptions {
  shop: Shop;
  runId: string;
  users: number;
  seconds: number;
  pids: Record<string, number | null>;
  sampleIntervalMs: number;
  say: (line: string) => void;
}

interface User {
  index: number;
  random: () => number;
}

/** A small seeded generator: the same run sends the same sequence of actions. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Action = (shop: Shop, user: User, headers: Record<string, string>) => Promise<unknown>;

const pick = <T>(items: readonly T[], random: () => number) => items[Math.floor(random() * items.length)]!;

function lines(shop: Shop, user: User, { packs }: { packs: boolean }) {
  const count = 1 + Math.floor(user.random() * 3);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(user.random() * shop.products.length));
  return [...chosen].map((i) => {
    const product = shop.products[i]!;
    return {
      productId: product.id,
      unitLevelId: packs ? product.packLevelId : product.baseLevelId,
      quantity: 1 + Math.floor(user.random() * 3),
    };
  });
}

const cashierOf = (shop: Shop, user: User) => shop.cashiers[user.index % shop.cashiers.length]!;

/** Weighted: browsing dominates, as at a till; a login now and then, a purchase now and then. */
const actions: Array<{ name: string; weight: number; run: Action }> = [
  {
    name: 'login',
    weight: 1,
    run: (shop, user, headers) => {
      const cashier = cashierOf(shop, user);
      return shop.client.call('accounts', 'POST', '/auth/login', {
        body: { username: cashier.session.username, password: cashier.password },
        headers,
      });
    },
  },
  {
    name: 'GET /auth/me',
    weight: 4,
    run: (shop, user, headers) =>
      shop.client.call('accounts', 'GET', '/auth/me', { session: cashierOf(shop, user).session, headers }),
  },
  {
    name: 'GET /products (browse)',
    weight: 18,
    run: (shop, user, headers) =>
      shop.client.call('products', 'GET', `/products?pageSize=20&page=${1 + Math.floor(user.random() * 5)}`, {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
  {
    name: 'GET /products?q= (search)',
    weight: 10,
    run: (shop, user, headers) =>
      shop.client.call(
        'products',
        'GET',
        `/products?pageSize=20&q=${encodeURIComponent(`item ${Math.floor(user.random() * 10)}`)}`,
        {
          session: cashierOf(shop, user).session,
          headers,
        },
      ),
  },
  {
    name: 'GET /products/:id',
    weight: 18,
    run: (shop, user, headers) =>
      shop.client.call('products', 'GET', `/products/${pick(shop.products, user.random).id}`, {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
  {
    name: 'GET /products/:id/stock',
    weight: 5,
    run: (shop, user, headers) =>
      shop.client.call('products', 'GET', `/products/${pick(shop.products, user.random).id}/stock`, {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
  {
    name: 'POST /sales (1-3 lines)',
    weight: 15,
    run: (shop, user, headers) =>
      shop.client.call('transactions', 'POST', '/sales', {
        session: cashierOf(shop, user).session,
        body: { lines: lines(shop, user, { packs: false }), paymentMethod: user.random() < 0.5 ? 'card' : 'cash' },
        headers: { ...headers, 'idempotency-key': randomUUID() },
      }),
  },
  {
    name: 'GET /sales',
    weight: 5,
    run: (shop, user, headers) =>
      shop.client.call('transactions', 'GET', '/sales?pageSize=20', {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
  {
    name: 'POST /purchases (1-3 lines)',
    weight: 4,
    run: (shop, user, headers) =>
      shop.client.call('transactions', 'POST', '/purchases', {
        session: shop.admin,
        body: { supplierName: 'Bench Wholesale', lines: lines(shop, user, { packs: true }) },
        headers: { ...headers, 'idempotency-key': randomUUID() },
      }),
  },
  {
    name: 'GET /notifications',
    weight: 10,
    run: (shop, user, headers) =>
      shop.client.call('notifications', 'GET', '/notifications?pageSize=20', {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
  {
    name: 'GET /notifications?unread=true',
    weight: 5,
    run: (shop, user, headers) =>
      shop.client.call('notifications', 'GET', '/notifications?unread=true&pageSize=5', {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
  {
    name: 'POST /notifications/read-all',
    weight: 2,
    run: (shop, user, headers) =>
      shop.client.call('notifications', 'POST', '/notifications/read-all', {
        session: cashierOf(shop, user).session,
        headers,
      }),
  },
];

const totalWeight = actions.reduce((sum, action) => sum + action.weight, 0);

function chooseAction(random: () => number) {
  let left = random() * totalWeight;
  for (const action of actions) {
    left -= action.weight;
    if (left < 0) return action;
  }
  return actions.at(-1)!;
}

export interface MixRun {
  figures: MixFigures;
  /** Every sample taken, per service, for the soak's growth. */
  samples: Record<string, Sample[]>;
}

export async function runMix(options: MixOptions): Promise<MixRun> {
  const { shop, runId, users, seconds, pids, sampleIntervalMs } = options;
  const latencies = new Map(actions.map((action) => [action.name, [] as number[]]));
  const errors = new Map(actions.map((action) => [action.name, 0]));
  const failures = new Map<string, number>();
  const watch = sampler(pids, sampleIntervalMs);
  const started = Date.now();
  const until = started + seconds * 1000;

  async function simulate(index: number) {
    const user = { index, random: mulberry32(index + 1) };
    // Each simulated till sits behind the web proxy with its own address, as accounts' login
    // throttle sees real clients; the request id tags the events this run causes.
    const headers = { 'x-forwarded-for': `10.77.${index >> 8}.${index & 255}`, 'x-request-id': `bench-${runId}-mix` };
    while (Date.now() < until) {
      const action = chooseAction(user.random);
      const begun = performance.now();
      try {
        await action.run(shop, user, headers);
        latencies.get(action.name)!.push(performance.now() - begun);
      } catch (error) {
        errors.set(action.name, errors.get(action.name)! + 1);
        const key =
          error instanceof ShopError
            ? `${action.name}: ${error.status}${error.code ? ` ${error.code}` : ''}`
            : `${action.name}: ${(error as Error).message}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    }
  }

  await Promise.all(Array.from({ length: users }, (_, index) => simulate(index)));
  const elapsed = (Date.now() - started) / 1000;
  const samples = watch.stop();
  const actionFigures: ActionFigures[] = actions.map(({ name }) => {
    const { count, p50, p99, max } = spread(latencies.get(name)!);
    return { name, count, errors: errors.get(name)!, p50, p99, max };
  });
  const requests = actionFigures.reduce((sum, a) => sum + a.count + a.errors, 0);
  const processes: ProcessFigures[] = Object.entries(samples).map(([service, series]) => ({
    service,
    pid: pids[service] ?? null,
    rssStartMb: series[0]?.rssMb ?? Number.NaN,
    rssEndMb: series.at(-1)?.rssMb ?? Number.NaN,
    rssMaxMb: series.length > 0 ? Math.max(...series.map((s) => s.rssMb)) : Number.NaN,
    cpuPercent: cpuPercent(series),
  }));
  return {
    figures: {
      seconds: Math.round(elapsed),
      users,
      requestsPerSecond: requests / elapsed,
      actions: actionFigures,
      failures: [...failures].map(([what, count]) => ({ what, count })).sort((a, b) => b.count - a.count),
      processes,
    },
    samples,
  };
}
