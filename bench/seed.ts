// What the measured endpoints need, created through the public API with names unique to the run:
// cashiers, a priced catalogue with stock, a category and unit for new products.
import { ShopClient, type CatalogueProduct, type Session } from '../test/shop/client';
import { apiUrls, type Stack } from './stack';

export interface Cashier {
  session: Session;
  password: string;
}

export interface Shop {
  client: ShopClient;
  admin: Session;
  cashiers: Cashier[];
  products: CatalogueProduct[];
  /** For creating products in the write benchmark. */
  categoryId: string;
  unitId: string;
}

const CASHIERS = 4;
const CATALOGUES = 4;
const PRODUCTS_PER_CATALOGUE = 10;
/** Packs bought per product before the run: sales never run out. */
const OPENING_PACKS = 1_000_000;

export async function seedShop(stack: Stack, runId: string, say: (line: string) => void): Promise<Shop> {
  const client = new ShopClient(apiUrls(stack), { timeoutMs: 60_000 });
  const admin = await client.login('admin', stack.adminPassword);
  say(`seeding: ${CASHIERS} cashiers, ${CATALOGUES * PRODUCTS_PER_CATALOGUE} priced products (prefix bench-${runId})`);
  const cashiers = await Promise.all(
    Array.from({ length: CASHIERS }, async (_, i) => {
      const username = `bench-${runId}-c${i}`;
      const password = `till ${i} opens at nine ${runId}`;
      await client.createUser(admin, { username, role: 'cashier', password });
      return { session: await client.login(username, password), password };
    }),
  );
  const catalogues = await Promise.all(
    Array.from({ length: CATALOGUES }, (_, i) =>
      client.seedCatalogue(admin, { prefix: `bench-${runId}-${i}`, count: PRODUCTS_PER_CATALOGUE }),
    ),
  );
  const products = catalogues.flat();
  const post = <T>(path: string, body: unknown) => client.call<T>('products', 'POST', path, { session: admin, body });
  const category = await post<{ id: string }>('/categories', { name: `bench-${runId} new products` });
  const unit = await post<{ id: string }>('/units', { name: `bench-${runId} each`, abbreviation: 'ea' });
  say('seeding: opening stock (a purchase, once transactions knows the products)');
  await client.stockUp(admin, products, { packs: OPENING_PACKS, timeoutMs: 120_000 });
  // Products adds the stock when it consumes the purchase: sales before that would be rejected.
  const last = products.at(-1)!;
  const deadline = Date.now() + 120_000;
  while ((await client.stock(admin, last.id)).quantity === 0) {
    if (Date.now() > deadline) throw new Error('products did not receive the opening stock within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { client, admin, cashiers, products, categoryId: category.id, unitId: unit.id };
}

/** A fresh access token: the client renews it when it is about to expire. */
export async function tokenOf(shop: Shop, session: Session): Promise<string> {
  await shop.client.call('accounts', 'GET', '/auth/me', { session });
  return session.accessToken;
}
