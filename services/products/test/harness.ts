// Shared set-up of the integration tests: the products test database migrated and emptied,
// and the HTTP app on a free port with tokens from a stand-in issuer.
import { createTestIssuer } from '@tulity/adapters/auth/testing';
import type { Role } from '@tulity/adapters/auth/authenticator';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { listen, type RunningServer } from '@tulity/adapters/http/server';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { assertTestDatabase, createDatabase, migrateLatest, type Knex } from '@tulity/adapters/postgres/database';
import { buildApp, migrations } from '../src/main';

export const databaseUrl = process.env.PRODUCTS_TEST_DATABASE_URL ?? 'postgres://tulity_products:tulity_products@127.0.0.1:5432/tulity_products_test';
export const brokers = (process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const registryUrl = process.env.TULITY_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export async function testDatabase(): Promise<Knex> {
  assertTestDatabase(databaseUrl);
  const db = createDatabase(databaseUrl, { min: 0, max: 20 });
  await migrateLatest(db, migrations);
  return db;
}

export async function emptyTables(db: Knex): Promise<void> {
  await db.raw(`truncate categories, units, products, product_unit_levels, product_unit_prices, product_stock,
    stock_movements, stock_reservations, stock_reservation_lines, purchase_receipts, event_outbox, event_inbox cascade`);
}

export interface Api {
  server: RunningServer;
  request(method: string, path: string, options?: { role?: Role | null; body?: unknown }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startApi(db: Knex, outgoing?: EventCatalogue): Promise<Api> {
  const issuer = await createTestIssuer();
  const tokens = new Map<Role, string>();
  const kafka = createKafka(brokers, 'products-test');
  const app = buildApp({ db, kafka, logger: createLogger('products-test'), metrics: createMetrics('products'), authenticator: issuer.authenticator(), outgoing });
  const server = await listen(app, 0);
  return {
    server,
    async request(method, path, { role = 'admin', body } = {}) {
      const headers: Record<string, string> = {};
      if (role) {
        if (!tokens.has(role)) tokens.set(role, await issuer.mint({ role }));
        headers.authorization = `Bearer ${tokens.get(role)}`;
      }
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    close: () => server.close(),
  };
}

/** Builds a product through the API as an admin would: category, units, product, a box level, prices. */
export async function buildCatalogue(api: Api, sku = 'COLA-033') {
  const ok = async (method: string, path: string, body?: unknown) => {
    const response = await api.request(method, path, { body });
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const category = await ok('POST', '/api/v1/categories', { name: `Drinks ${sku}` });
  const piece = await ok('POST', '/api/v1/units', { name: `piece ${sku}`, abbreviation: 'pc' });
  const box = await ok('POST', '/api/v1/units', { name: `box ${sku}`, abbreviation: 'box' });
  const product = await ok('POST', '/api/v1/products', { sku, barcode: `BC-${sku}`, name: `Cola ${sku}`, categoryId: category.id, baseUnitId: piece.id, lowStockThreshold: 10 });
  const levels = await ok('GET', `/api/v1/products/${product.id}/unit-levels`);
  const pieceLevel = levels.items[0];
  const boxLevel = await ok('POST', `/api/v1/products/${product.id}/unit-levels`, { unitId: box.id, factor: 24 });
  const piecePrice = await ok('POST', `/api/v1/products/${product.id}/prices`, { unitLevelId: pieceLevel.id, sellPrice: 150, buyPrice: 90, currency: 'EUR' });
  const boxPrice = await ok('POST', `/api/v1/products/${product.id}/prices`, { unitLevelId: boxLevel.id, sellPrice: 3200, buyPrice: 2000, currency: 'EUR' });
  return { category, piece, box, product, pieceLevel, boxLevel, piecePrice, boxPrice };
}
