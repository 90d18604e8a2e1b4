// Finding products for the till: by barcode exactly (a scan), else by name, SKU or barcode in part.
import { call, products } from '../../api/client';
import type { paths } from '../../api/generated/products';
import type { CartProduct } from './cart';

type ProductDetail = paths['/api/v1/products/{id}']['get']['responses'][200]['content']['application/json'];
export type ProductHit =
  paths['/api/v1/products']['get']['responses'][200]['content']['application/json']['items'][number];

const maxHits = 8;

/** Active products whose barcode is exactly `code`. */
export async function byBarcode(code: string): Promise<ProductHit[]> {
  const page = await call(
    products.GET('/api/v1/products', { params: { query: { barcode: code, active: 'true', pageSize: maxHits } } }),
  );
  return page.items;
}

/** Active products whose name, SKU or barcode contains `text`. */
export async function search(text: string): Promise<ProductHit[]> {
  const page = await call(
    products.GET('/api/v1/products', {
      params: { query: { q: text, active: 'true', pageSize: maxHits, sort: 'name' } },
    }),
  );
  return page.items;
}

/**
 * What Enter in the search field means: a barcode or SKU that matches exactly picks that product,
 * one hit picks itself; otherwise the cashier chooses among the hits.
 */
export async function resolve(text: string): Promise<{ pick: ProductHit | undefined; hits: ProductHit[] }> {
  const code = text.trim();
  const scanned = await byBarcode(code);
  if (scanned.length === 1) return { pick: scanned[0], hits: scanned };
  const hits = await search(code);
  const exact = hits.filter((hit) => hit.sku.toLowerCase() === code.toLowerCase() || hit.barcode === code);
  if (exact.length === 1) return { pick: exact[0], hits };
  return { pick: hits.length === 1 ? hits[0] : undefined, hits };
}

/** A product with its levels priced in `currency` and its stock, for the cart. */
export function cartProductOf(detail: ProductDetail, currency: string): CartProduct {
  const prices = new Map(
    detail.currentPrices
      .filter((price) => price.currency === currency)
      .map((price) => [price.unitLevelId, price.sellPrice]),
  );
  return {
    productId: detail.id,
    sku: detail.sku,
    name: detail.name,
    stockBase: detail.stock.quantity,
    levels: detail.unitLevels.map((level) => ({
      unitLevelId: level.id,
      unitName: level.unitName,
      factor: level.factor,
      priceMinor: prices.get(level.id) ?? null,
    })),
  };
}

export async function loadCartProduct(productId: string, currency: string): Promise<CartProduct> {
  const detail = await call(products.GET('/api/v1/products/{id}', { params: { path: { id: productId } } }));
  return cartProductOf(detail, currency);
}
