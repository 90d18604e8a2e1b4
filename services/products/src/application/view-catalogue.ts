import type { Failure } from '@tulity/adapters/core/failure';
import type { Page } from '@tulity/adapters/core/page';
import type { ProductCategory, ProductUnit } from '../domain/catalogue';
import { failures } from '../domain/failures';
import type { Product } from '../domain/product';
import { currentPrices, type ProductUnitPrice } from '../domain/unit-price';
import type {
  CategoryListQuery,
  PriceListQuery,
  ProductListItem,
  ProductListQuery,
  ProductsDeps,
  Reads,
  StockView,
  UnitListQuery,
  UnitLevelView,
} from './ports';

// Every role that may read sees the whole catalogue: the edge decides who reads at all.

export function listCategories(deps: Pick<ProductsDeps, 'uow'>) {
  return (query: CategoryListQuery): Promise<Page<ProductCategory>> =>
    deps.uow.read((reads) => reads.categories.list(query));
}

export function getCategory(deps: Pick<ProductsDeps, 'uow'>) {
  return (id: string): Promise<ProductCategory> =>
    deps.uow.read(async (reads) => found(await reads.categories.get(id), failures.categoryNotFound));
}

export function listUnits(deps: Pick<ProductsDeps, 'uow'>) {
  return (query: UnitListQuery): Promise<Page<ProductUnit>> => deps.uow.read((reads) => reads.units.list(query));
}

export function getUnit(deps: Pick<ProductsDeps, 'uow'>) {
  return (id: string): Promise<ProductUnit> =>
    deps.uow.read(async (reads) => found(await reads.units.get(id), failures.unitNotFound));
}

export function listProducts(deps: Pick<ProductsDeps, 'uow'>) {
  return (query: ProductListQuery): Promise<Page<ProductListItem>> =>
    deps.uow.read((reads) => reads.products.list(query));
}

export interface ProductDetail extends Product {
  stock: StockView;
  unitLevels: UnitLevelView[];
  currentPrices: ProductUnitPrice[];
}

/** The product with its stock, unit levels and the prices in force now. */
export function getProduct(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (id: string): Promise<ProductDetail> =>
    deps.uow.read(async (reads) => {
      const now = deps.clock.now();
      const { prices, ...detail } = found(await reads.products.detail(id, now), failures.productNotFound);
      return Object.assign(detail, { currentPrices: currentPrices(prices, now) });
    });
}

export function listUnitLevels(deps: Pick<ProductsDeps, 'uow'>) {
  return (productId: string): Promise<Page<UnitLevelView>> =>
    deps.uow.read(async (reads) => {
      await existing(reads, productId);
      const items = await reads.levels.of(productId);
      return { items, total: items.length, page: 1, pageSize: items.length };
    });
}

export function getUnitLevel(deps: Pick<ProductsDeps, 'uow'>) {
  return (productId: string, id: string): Promise<UnitLevelView> =>
    deps.uow.read(async (reads) => {
      const level = (await reads.levels.of(productId)).find((l) => l.id === id);
      if (!level) throw failures.unitLevelNotFound();
      return level;
    });
}

/** Price history, newest first by default. */
export function listPrices(deps: Pick<ProductsDeps, 'uow'>) {
  return (productId: string, query: PriceListQuery): Promise<Page<ProductUnitPrice>> =>
    deps.uow.read(async (reads) => {
      await existing(reads, productId);
      return reads.prices.list(productId, query);
    });
}

export function getPrice(deps: Pick<ProductsDeps, 'uow'>) {
  return (productId: string, id: string): Promise<ProductUnitPrice> =>
    deps.uow.read(async (reads) => found(await reads.prices.get(productId, id), failures.priceNotFound));
}

/** The value, or the not-found Failure when there is none (built only then: an Error captures a stack). */
export function found<T>(value: T | undefined, failure: () => Failure): T {
  if (value === undefined) throw failure();
  return value;
}

export async function existing(reads: Reads, productId: string): Promise<Product> {
  const product = await reads.products.get(productId);
  if (!product) throw failures.productNotFound();
  return product;
}
