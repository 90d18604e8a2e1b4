// The read model of products' catalogue: written only by the consumer, read to price lines.
import type { Knex } from 'knex';
import type { CatalogueRepository } from '../../application/ports';
import type { CatalogueProduct } from '../../domain/catalogue';
import type { WriteBatch } from './write-batch';

type Db = Knex | Knex.Transaction;
type Big = string | number;

/** One row per unit level of a product, or one with a null level for a product without any. */
interface ProductLevelRow {
  id: string;
  sku: string;
  name: string;
  active: boolean;
  deleted: boolean;
  level_id: string | null;
  unit_name: string | null;
  conversion_factor: Big | null;
  currency: string | null;
  sell_price_minor: Big | null;
  buy_price_minor: Big | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const orNull = (value: Big | null) => (value === null ? null : Number(value));

async function findProducts(db: Db, ids: string[]): Promise<Map<string, CatalogueProduct>> {
  // Ids are validated at the edge; a non-UUID can still name nothing, so it is not sent to a uuid column.
  const wanted = [...new Set(ids)].filter((id) => uuidPattern.test(id));
  if (wanted.length === 0) return new Map();
  // Products, their levels and prices in one statement: a sale or purchase reads them on every request.
  const rows: ProductLevelRow[] = await db('catalogue_products as c')
    .leftJoin('catalogue_unit_levels as l', 'l.product_id', 'c.id')
    .leftJoin('catalogue_prices as p', 'p.unit_level_id', 'l.id')
    .whereIn('c.id', wanted)
    .select(
      'c.id',
      'c.sku',
      'c.name',
      'c.active',
      'c.deleted',
      'l.id as level_id',
      'l.unit_name',
      'l.conversion_factor',
      'p.currency',
      'p.sell_price_minor',
      'p.buy_price_minor',
    );
  const products = new Map<string, CatalogueProduct>();
  for (const row of rows) {
    let product = products.get(row.id);
    if (!product) {
      product = { id: row.id, sku: row.sku, name: row.name, active: row.active, deleted: row.deleted, unitLevels: [] };
      products.set(row.id, product);
    }
    if (row.level_id === null) continue;
    product.unitLevels.push({
      id: row.level_id,
      unitName: row.unit_name!,
      conversionFactor: Number(row.conversion_factor),
      currency: row.currency,
      sellPriceMinor: orNull(row.sell_price_minor),
      buyPriceMinor: orNull(row.buy_price_minor),
    });
  }
  return products;
}

/** Reads and writes here all run after the writes queued in `batch` are sent. */
export function catalogueRepository(batch: WriteBatch): CatalogueRepository {
  return {
    findMany: async (ids) => findProducts(await batch.sent(), ids),
    async upsertProduct(product) {
      const trx = await batch.sent();
      await trx('catalogue_products')
        .insert({ id: product.id, sku: product.sku, name: product.name, active: product.active, deleted: false })
        .onConflict('id')
        .merge(['sku', 'name', 'active']);
      const listed = product.unitLevels.map((level) => level.id);
      await trx('catalogue_unit_levels').where({ product_id: product.id }).whereNotIn('id', listed).delete();
      if (product.unitLevels.length > 0) {
        await trx('catalogue_unit_levels')
          .insert(
            product.unitLevels.map((level) => ({
              id: level.id,
              product_id: product.id,
              unit_name: level.unitName,
              conversion_factor: level.conversionFactor,
            })),
          )
          .onConflict('id')
          .merge(['unit_name', 'conversion_factor']);
      }
    },
    async markDeleted(productId) {
      const trx = await batch.sent();
      await trx('catalogue_products').where({ id: productId }).update({ deleted: true, active: false });
    },
    async setPrice(price) {
      const trx = await batch.sent();
      await trx('catalogue_prices')
        .insert({
          unit_level_id: price.unitLevelId,
          product_id: price.productId,
          currency: price.currency,
          sell_price_minor: price.sellPriceMinor,
          buy_price_minor: price.buyPriceMinor,
        })
        .onConflict('unit_level_id')
        // An event without a buy price (PriceChanged v1) keeps the one already known.
        .merge({
          currency: price.currency,
          sell_price_minor: price.sellPriceMinor,
          buy_price_minor: trx.raw('coalesce(excluded.buy_price_minor, catalogue_prices.buy_price_minor)'),
        });
    },
  };
}
