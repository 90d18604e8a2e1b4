// The products service in-process against its test database, on the shared test kit: the app on
// a free port, one HTTP client, and tokens from a stand-in issuer (accounts is not running here).
import { createTestIssuer } from '@tulity/adapters/auth/testing';
import type { Role } from '@tulity/adapters/core/actor';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import { brokers, startHttp, testDatabase, type Answer, type RunningHttp } from '@tulity/adapters/testing/kit';
import { buildApp, migrations } from '../src/main';

export { brokers, emptyTables, registryUrl, statementsOf } from '@tulity/adapters/testing/kit';

/** products' `_test` database (TULITY_PRODUCTS_TEST_DATABASE_URL), migrated. */
export const productsDatabase = (): Promise<Knex> => testDatabase('products', migrations);

export interface ProductsApi {
  http: RunningHttp;
  /** As `role` (admin unless said; null sends no token). */
  call(method: string, path: string, options?: { role?: Role | null; body?: unknown }): Promise<Answer>;
  close(): Promise<void>;
}

export async function startProducts(db: Knex, outgoing?: EventCatalogue): Promise<ProductsApi> {
  const issuer = await createTestIssuer();
  const tokens = new Map<Role, string>();
  const app = buildApp({
    db,
    kafka: createKafka(brokers, 'products-test'),
    logger: createLogger('products-test'),
    metrics: createMetrics('products'),
    authenticator: issuer.authenticator(),
    outgoing,
  });
  const http = await startHttp(app);
  return {
    http,
    async call(method, path, { role = 'admin', body } = {}) {
      if (role && !tokens.has(role)) tokens.set(role, await issuer.mint({ role }));
      return http.call(method, path, { token: role ? tokens.get(role) : undefined, body });
    },
    close: () => http.close(),
  };
}

/** Builds a product through the API as an admin would: category, units, product, a box level, prices. */
export async function buildCatalogue(api: ProductsApi, sku = 'COLA-033') {
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await api.call(method, path, { body });
    if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const category = await ok('POST', '/api/v1/categories', { name: `Drinks ${sku}` });
  const piece = await ok('POST', '/api/v1/units', { name: `piece ${sku}`, abbreviation: 'pc' });
  const box = await ok('POST', '/api/v1/units', { name: `box ${sku}`, abbreviation: 'box' });
  const product = await ok('POST', '/api/v1/products', {
    sku,
    barcode: `BC-${sku}`,
    name: `Cola ${sku}`,
    categoryId: category.id,
    baseUnitId: piece.id,
    lowStockThreshold: 10,
  });
  const levels = await ok('GET', `/api/v1/products/${product.id}/unit-levels`);
  const pieceLevel = levels.items[0];
  const boxLevel = await ok('POST', `/api/v1/products/${product.id}/unit-levels`, { unitId: box.id, factor: 24 });
  const piecePrice = await ok('POST', `/api/v1/products/${product.id}/prices`, {
    unitLevelId: pieceLevel.id,
    sellPrice: 150,
    buyPrice: 90,
    currency: 'EUR',
  });
  const boxPrice = await ok('POST', `/api/v1/products/${product.id}/prices`, {
    unitLevelId: boxLevel.id,
    sellPrice: 3200,
    buyPrice: 2000,
    currency: 'EUR',
  });
  return { category, piece, box, product, pieceLevel, boxLevel, piecePrice, boxPrice };
}
