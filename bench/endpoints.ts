// The project's endpoints, each measured like its baseline: reads against the primary-key read,
// writes (each with its outbox row) against the single insert, the app factory's health check
// against the hello.
import { randomUUID } from 'node:crypto';
import { counter, measure, roundRobin, type LoadSettings, type Target } from './load';
import type { HttpFigures } from './model';
import { tokenOf, type Shop } from './seed';
import type { Stack } from './stack';

export interface EndpointOptions {
  stack: Stack;
  shop: Shop;
  runId: string;
  load: LoadSettings;
  say: (line: string) => void;
  /** Waits until the events the writes so far caused are applied. */
  settle: () => Promise<unknown>;
  /** Runs the baseline an endpoint is compared with, just before it. */
  baselineFor?: (endpoint: Target) => Promise<HttpFigures>;
}

/** Built one at a time, just before it runs, so every token is fresh. */
type TargetFactory = () => Promise<Target>;

function factories({ stack, shop, runId }: EndpointOptions): TargetFactory[] {
  const products = `${stack.urls.products}/api/v1`;
  // Tags every event the writes cause, so the delivery count finds them by correlation id.
  const tag = { 'x-request-id': `bench-${runId}-endpoints` };
  const product = roundRobin(shop.products);
  const name = counter(`bench-${runId}`);
  const admin = async () => ({ ...tag, authorization: `Bearer ${await tokenOf(shop, shop.admin)}` });
  return [
    async () => ({ name: 'products GET /health/live', kind: 'hello', url: `${stack.urls.products}/health/live` }),
    async () => ({
      name: 'products GET /api/v1/products/:id',
      kind: 'read',
      url: `${products}/products/${shop.products[0]!.id}`,
      headers: await admin(),
      vary: (request) => ({ ...request, path: `/api/v1/products/${product().id}` }),
    }),
    async () => ({
      name: 'products GET /api/v1/products?pageSize=20',
      kind: 'read',
      url: `${products}/products?pageSize=20`,
      headers: await admin(),
    }),
    async () => ({
      name: 'accounts GET /api/v1/auth/me',
      kind: 'read',
      url: `${stack.urls.accounts}/api/v1/auth/me`,
      headers: await admin(),
    }),
    async () => ({
      name: 'products POST /api/v1/categories',
      kind: 'write',
      method: 'POST',
      url: `${products}/categories`,
      headers: await admin(),
      vary: (request) => ({ ...request, body: JSON.stringify({ name: name() }) }),
    }),
    async () => ({
      name: 'products POST /api/v1/products',
      kind: 'write',
      method: 'POST',
      url: `${products}/products`,
      headers: await admin(),
      vary: (request) => ({
        ...request,
        body: JSON.stringify({
          sku: name(),
          name: 'bench product',
          categoryId: shop.categoryId,
          baseUnitId: shop.unitId,
        }),
      }),
    }),
    async () => ({
      name: 'products POST /api/v1/products/:id/stock/adjustments',
      kind: 'write',
      method: 'POST',
      url: `${products}/products/${shop.products[0]!.id}/stock/adjustments`,
      headers: await admin(),
      // Spread over the catalogue: adjustments of one product queue on its stock row's lock.
      vary: (request) => ({
        ...request,
        path: `/api/v1/products/${product().id}/stock/adjustments`,
        body: JSON.stringify({ delta: 1, reason: 'bench count' }),
      }),
    }),
    async () => {
      const tokens = await Promise.all(shop.cashiers.map((cashier) => tokenOf(shop, cashier.session)));
      const token = roundRobin(tokens);
      return {
        name: 'transactions POST /api/v1/sales',
        kind: 'write',
        method: 'POST',
        url: `${stack.urls.transactions}/api/v1/sales`,
        headers: tag,
        vary: (request) => {
          const sold = product();
          return {
            ...request,
            headers: {
              ...request.headers,
              authorization: `Bearer ${token()}`,
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({
              lines: [{ productId: sold.id, unitLevelId: sold.baseLevelId, quantity: 1 }],
              paymentMethod: 'card',
            }),
          };
        },
      };
    },
  ];
}

export async function runEndpoints(options: EndpointOptions): Promise<HttpFigures[]> {
  const figures: HttpFigures[] = [];
  for (const build of factories(options)) {
    const target = await build();
    // The machine's other load drifts within minutes (a baseline moved 40-65 % between the rounds
    // on both sides of the endpoints): a baseline run next to its endpoint meets the same machine.
    if (options.baselineFor) figures.push(await options.baselineFor(target));
    options.say(`endpoints: ${target.name}`);
    figures.push(await measure(target, options.load));
    // A write leaves the consumers thousands of events behind, and applying them takes the cores
    // from whatever runs next: each write, and the second round of baselines, starts on a machine
    // as quiet as the first round's.
    if (target.kind === 'write') await options.settle();
  }
  return figures;
}
