// The read model of products' catalogue: written only by the consumer, read to price lines.
import type { Knex } from 'knex';
import type { CatalogueRepository } from '../../application/ports';
import type { CatalogueProduct } from '../../domain/catalogue';

type Db = Knex | Knex.Transaction;
type Big = string | number;

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  active: boolean;
  deleted: boolean;
}

interface LevelRow {
  id: string;
  product_id: string;
  unit_name: string;
  conversion_factor: Big;
  currency: string | null;
  sell_price_minor: Big | null;
  buy_price_minor: Big | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findProducts(db: Db, ids: string[]): Promise<Map<string, CatalogueProduct>> {
  // Ids are validated at the edge; a non-UUID can still name nothing, so it is not sent to a uuid column.
  const wanted = [...new Set(ids)].filter((id) => uuidPattern.test(id));
  if (wanted.length === 0) return new Map();
  const products = await db<ProductRow>('catalogue_products').whereIn('id', wanted);
  const levels: LevelRow[] = await db('catalogue_unit_levels as l')
    .leftJoin('catalogue_prices as p', 'p.unit_level_id', 'l.id')
    .whereIn('l.product_id', wanted)
    .select(
      'l.id',
      'l.product_id',
      'l.unit_name',
      'l.conversion_factor',
      'p.currency',
      'p.sell_price_minor',
      'p.buy_price_minor',
    );
  return new Map(
    products.map((row) => [
      row.id,
      {
        id: row.id,
        sku: row.sku,
        name: row.name,
        active: row.active,
        deleted: row.deleted,
        unitLevels: levels
          .filter((level) => level.product_id === row.id)
          .map((level) => ({
            id: level.id,
            unitName: level.unit_name,
            conversionFactor: Number(level.conversion_factor),
            currency: level.currency,
            sellPriceMinor: level.sell_price_minor === null ? null : Number(level.sell_price_minor),
            buyPriceMinor: level.buy_price_minor === null ? null : Number(level.buy_price_minor),
          })),
      },
    ]),
  );
}

export function catalogueRepository(trx: Knex.Transaction): CatalogueRepository {
  return {
    findMany: (ids) => findProducts(trx, ids),
    async upsertProduct(product) {
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
      await trx('catalogue_products').where({ id: productId }).update({ deleted: true, active: false });
    },
    async setPrice(price) {
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
