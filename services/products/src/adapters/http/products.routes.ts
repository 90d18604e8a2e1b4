import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound } from '@tulity/adapters/http/problem';
import type { Context, UnitOfWork } from '../../application/ports';
import { adjustStock } from '../../application/adjust-stock';
import { createCategory, deleteCategory, updateCategory } from '../../application/manage-categories';
import { deletePrice, setPrice, updatePrice } from '../../application/manage-prices';
import { createProduct, deleteProduct, getProduct, updateProduct } from '../../application/manage-products';
import { addUnitLevel, deleteUnitLevel, updateUnitLevel } from '../../application/manage-unit-levels';
import { createUnit, deleteUnit, updateUnit } from '../../application/manage-units';
import type { KnexProductQueries } from '../postgres/knex-queries';
import { route, type Ctx, type Route } from '@tulity/adapters/http/routes';
import * as s from './schemas';

export interface RouteDeps {
  uow: UnitOfWork;
  queries: KnexProductQueries;
}

/** The request id correlates the events this request causes. */
const contextOf = (ctx: Ctx): Context => ({ occurredAt: new Date(), correlationId: ctx.state.requestId, newId: randomUUID });

const found = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw notFound(`${what.toUpperCase().replace(' ', '_')}.NOT_FOUND`, `No such ${what}.`);
  return value;
};

export function productRoutes({ uow, queries }: RouteDeps): Route[] {
  const productExists = async (id: string) => found(await queries.getProduct(id, new Date()), 'product');
  return [
    route({ method: 'get', path: '/categories', tag: 'categories', summary: 'List categories', response: s.pageOf(s.categoryBody), query: s.listQuery, handle: ({ query }) => queries.listCategories(query) }),
    route({ method: 'get', path: '/categories/:id', tag: 'categories', summary: 'A category', response: s.categoryBody, handle: async ({ params }) => found(await queries.getCategory(params.id!), 'category') }),
    route({ method: 'post', path: '/categories', tag: 'categories', summary: 'Create a category', response: s.categoryBody, status: 201, body: s.categoryCreate, handle: ({ body, ctx }) => uow.run((tx) => createCategory(tx, contextOf(ctx), body)) }),
    route({ method: 'patch', path: '/categories/:id', tag: 'categories', summary: 'Update a category', response: s.categoryBody, body: s.categoryUpdate, handle: ({ params, body, ctx }) => uow.run((tx) => updateCategory(tx, contextOf(ctx), params.id!, body)) }),
    route({ method: 'delete', path: '/categories/:id', tag: 'categories', summary: 'Delete a category (409 while products use it)', status: 204, handle: ({ params }) => uow.run((tx) => deleteCategory(tx, params.id!)) }),

    route({ method: 'get', path: '/units', tag: 'units', summary: 'List units', response: s.pageOf(s.unitBody), query: s.listQuery, handle: ({ query }) => queries.listUnits(query) }),
    route({ method: 'get', path: '/units/:id', tag: 'units', summary: 'A unit', response: s.unitBody, handle: async ({ params }) => found(await queries.getUnit(params.id!), 'unit') }),
    route({ method: 'post', path: '/units', tag: 'units', summary: 'Create a unit', response: s.unitBody, status: 201, body: s.unitCreate, handle: ({ body, ctx }) => uow.run((tx) => createUnit(tx, contextOf(ctx), body)) }),
    route({ method: 'patch', path: '/units/:id', tag: 'units', summary: 'Update a unit', response: s.unitBody, body: s.unitUpdate, handle: ({ params, body, ctx }) => uow.run((tx) => updateUnit(tx, contextOf(ctx), params.id!, body)) }),
    route({ method: 'delete', path: '/units/:id', tag: 'units', summary: 'Delete a unit (409 while products or unit levels use it)', status: 204, handle: ({ params }) => uow.run((tx) => deleteUnit(tx, params.id!)) }),

    route({ method: 'get', path: '/products', tag: 'products', summary: 'List products with their stock', response: s.pageOf(s.productBody.extend({ stockQuantity: z.number().int() })), query: s.productListQuery, handle: ({ query }) => queries.listProducts(query) }),
    route({ method: 'get', path: '/products/:id', tag: 'products', summary: 'A product with stock, unit levels and current prices', response: s.productDetail, handle: ({ params }) => productExists(params.id!) }),
    route({ method: 'post', path: '/products', tag: 'products', summary: 'Create a product (its base unit level and empty stock come with it)', response: s.productBody, status: 201, body: s.productCreate, handle: ({ body, ctx }) => uow.run((tx) => createProduct(tx, contextOf(ctx), body)) }),
    route({ method: 'patch', path: '/products/:id', tag: 'products', summary: 'Update a product', response: s.productBody, body: s.productUpdate, handle: ({ params, body, ctx }) => uow.run((tx) => updateProduct(tx, contextOf(ctx), params.id!, body)) }),
    route({ method: 'delete', path: '/products/:id', tag: 'products', summary: 'Delete a product (409 while it has stock or reservations)', status: 204, handle: ({ params, ctx }) => uow.run((tx) => deleteProduct(tx, contextOf(ctx), params.id!)) }),

    route({ method: 'get', path: '/products/:id/unit-levels', tag: 'unit levels', summary: "A product's unit levels", response: s.pageOf(s.unitLevelView), handle: async ({ params }) => {
      await productExists(params.id!);
      const items = await queries.listUnitLevels(params.id!);
      return { items, total: items.length, page: 1, pageSize: items.length };
    } }),
    route({ method: 'get', path: '/products/:id/unit-levels/:levelId', tag: 'unit levels', summary: 'A unit level', response: s.unitLevelView, handle: async ({ params }) => found(await queries.getUnitLevel(params.id!, params.levelId!), 'unit level') }),
    route({ method: 'post', path: '/products/:id/unit-levels', tag: 'unit levels', summary: 'Add a unit level (e.g. box = 24 pieces)', response: s.unitLevelBody, status: 201, body: s.unitLevelCreate, handle: ({ params, body, ctx }) => uow.run((tx) => addUnitLevel(tx, contextOf(ctx), params.id!, body)) }),
    route({ method: 'patch', path: '/products/:id/unit-levels/:levelId', tag: 'unit levels', summary: "Change a unit level's factor", response: s.unitLevelBody, body: s.unitLevelUpdate, handle: ({ params, body, ctx }) => uow.run((tx) => updateUnitLevel(tx, contextOf(ctx), params.id!, params.levelId!, body)) }),
    route({ method: 'delete', path: '/products/:id/unit-levels/:levelId', tag: 'unit levels', summary: 'Delete a unit level (409 for the base level or while prices use it)', status: 204, handle: ({ params, ctx }) => uow.run((tx) => deleteUnitLevel(tx, contextOf(ctx), params.id!, params.levelId!)) }),

    route({ method: 'get', path: '/products/:id/prices', tag: 'prices', summary: 'Price history of a product (newest first)', response: s.pageOf(s.priceBody), query: s.priceListQuery, handle: async ({ params, query }) => {
      await productExists(params.id!);
      return queries.listPrices(params.id!, query);
    } }),
    route({ method: 'get', path: '/products/:id/prices/:priceId', tag: 'prices', summary: 'A price', response: s.priceBody, handle: async ({ params }) => found(await queries.getPrice(params.id!, params.priceId!), 'price') }),
    route({ method: 'post', path: '/products/:id/prices', tag: 'prices', summary: 'Set the sell and buy price of a unit level from a time on', response: s.priceBody, status: 201, body: s.priceCreate, handle: ({ params, body, ctx }) => uow.run((tx) => setPrice(tx, contextOf(ctx), params.id!, { ...body, effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined })) }),
    route({ method: 'patch', path: '/products/:id/prices/:priceId', tag: 'prices', summary: 'Change a price that has not taken effect yet', response: s.priceBody, body: s.priceUpdate, handle: ({ params, body, ctx }) => uow.run((tx) => updatePrice(tx, contextOf(ctx), params.id!, params.priceId!, { ...body, effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined })) }),
    route({ method: 'delete', path: '/products/:id/prices/:priceId', tag: 'prices', summary: 'Delete a price that has not taken effect yet', status: 204, handle: ({ params, ctx }) => uow.run((tx) => deletePrice(tx, contextOf(ctx), params.id!, params.priceId!)) }),

    route({ method: 'get', path: '/products/:id/stock', tag: 'stock', summary: 'Stock on hand and reserved, in base units', response: s.stockBody, handle: async ({ params }) => found(await queries.getStock(params.id!), 'product') }),
    route({ method: 'post', path: '/products/:id/stock/adjustments', tag: 'stock', summary: 'Adjust stock by hand, with a reason', response: s.stockBody, status: 201, body: s.stockAdjustment, handle: async ({ params, body, ctx }) => {
      await uow.run(async (tx) => {
        await getProduct(tx, params.id!);
        return adjustStock(tx, contextOf(ctx), { productId: params.id!, ...body });
      });
      return queries.getStock(params.id!);
    } }),
    route({ method: 'get', path: '/products/:id/stock-movements', tag: 'stock', summary: 'The stock ledger of a product (newest first)', response: s.pageOf(s.movementBody), query: s.movementListQuery, handle: async ({ params, query }) => {
      await productExists(params.id!);
      return queries.listMovements(params.id!, query);
    } }),
  ];
}
