import type { Knex } from 'knex';
import type { ProductUnitPrice } from '../../domain/unit-price';
import type { PriceRepository } from '../../application/ports';
import { decided } from './constraint-failures';

export interface PriceRow {
  id: string;
  product_id: string;
  unit_level_id: string;
  /** bigint, as text */
  sell_price: string;
  buy_price: string;
  currency: string;
  effective_from: Date;
  created_at: Date;
}

export const toPrice = (r: PriceRow): ProductUnitPrice => ({
  id: r.id,
  productId: r.product_id,
  unitLevelId: r.unit_level_id,
  sellPrice: Number(r.sell_price),
  buyPrice: Number(r.buy_price),
  currency: r.currency,
  effectiveFrom: r.effective_from,
  createdAt: r.created_at,
});
const fromPrice = (p: ProductUnitPrice) => ({
  id: p.id,
  product_id: p.productId,
  unit_level_id: p.unitLevelId,
  sell_price: p.sellPrice,
  buy_price: p.buyPrice,
  currency: p.currency,
  effective_from: p.effectiveFrom,
  created_at: p.createdAt,
});

const priceColumns = [
  'id',
  'product_id',
  'unit_level_id',
  'sell_price',
  'buy_price',
  'currency',
  'effective_from',
  'created_at',
];
const latestFirst = [
  { column: 'effective_from', order: 'desc' },
  { column: 'created_at', order: 'desc' },
];

export function priceRepository(trx: Knex.Transaction): PriceRepository {
  const prices = () => trx<PriceRow>('product_unit_prices').select(priceColumns);
  const one = async (query: Knex.QueryBuilder<PriceRow>) => {
    const row: PriceRow | undefined = await query.first();
    return row ? toPrice(row) : undefined;
  };
  return {
    get: (id) => one(prices().where({ id })),
    insert: async (price) => void (await decided(trx('product_unit_prices').insert(fromPrice(price)))),
    update: async (price) =>
      void (await decided(trx('product_unit_prices').where({ id: price.id }).update(fromPrice(price)))),
    delete: async (id) => void (await decided(trx('product_unit_prices').where({ id }).delete())),
    currentFor: (unitLevelId, now) =>
      one(prices().where({ unit_level_id: unitLevelId }).where('effective_from', '<=', now).orderBy(latestFirst)),
    previousOf: (price) =>
      one(
        prices()
          .where({ unit_level_id: price.unitLevelId })
          .whereNot({ id: price.id })
          .where('effective_from', '<=', price.effectiveFrom)
          .orderBy(latestFirst),
      ),
    // SKIP LOCKED: another announcer holding the row has it in hand.
    getUnannouncedForUpdate: (id) => one(prices().where({ id }).whereNull('announced_at').forUpdate().skipLocked()),
    markAnnounced: async (id, at) => {
      await trx('product_unit_prices')
        .where({ id })
        .update({ announced_at: at, announcement_error: null, announcement_failed_at: null });
    },
    markAnnouncementFailed: async (id, reason, at) => {
      await trx('product_unit_prices')
        .where({ id })
        .update({ announcement_error: reason.slice(0, 2000), announcement_failed_at: at });
    },
  };
}
