// The route table of the transactions API: parse, call one use case, present.
import { createHash } from 'node:crypto';
import type { Actor } from '@tulity/adapters/core/actor';
import { badRequest } from '@tulity/adapters/http/problem';
import { route, type Access, type Ctx, type Route } from '@tulity/adapters/http/routes';
import type { Discount } from '../../domain/sale';
import type { UseCases } from '../../main';
import { presentPurchase, presentSale, presentSaleReturn } from './presenters';
import * as schemas from './schemas';

const everyone: Access = 'any-role';
const managers: Access = ['manager', 'admin'];

const actorOf = (ctx: Ctx): Actor => {
  const { userId, role, sessionId } = ctx.state.principal;
  return { userId, role, sessionId };
};

/**
 * The Idempotency-Key, if sent, with a fingerprint of what the request asks for (route, path and
 * parsed body), so the same key with another request is told apart from a retry.
 */
function idempotencyOf(ctx: Ctx, body: unknown) {
  const header = ctx.get('idempotency-key');
  if (header === '') return undefined;
  const parsed = schemas.idempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw badRequest('REQUEST.INVALID', 'The Idempotency-Key header is invalid.', [
      { field: 'Idempotency-Key', message: parsed.error.issues[0]!.message },
    ]);
  }
  const fingerprint = createHash('sha256')
    .update(`${ctx.method} ${ctx.path}\n${JSON.stringify(body)}`)
    .digest('hex');
  return { key: parsed.data, fingerprint };
}

const discountOf = (line: { discountMinor?: number; discountPercent?: number }): Discount | undefined => {
  if (line.discountMinor !== undefined) return { kind: 'amount', minor: line.discountMinor };
  if (line.discountPercent !== undefined)
    return { kind: 'percent', basisPoints: Math.round(line.discountPercent * 100) };
  return undefined;
};

export function transactionRoutes(useCases: UseCases): Route[] {
  return [
    route({
      method: 'get',
      path: '/sales',
      operationId: 'listSales',
      tag: 'sales',
      access: everyone,
      summary: 'List sales (cashiers: their own)',
      query: schemas.saleListQuery,
      response: schemas.salePage,
      handle: async ({ query, ctx }) => {
        const page = await useCases.listSales({ actor: actorOf(ctx), query });
        return { ...page, items: page.items.map(presentSale) };
      },
    }),
    route({
      method: 'post',
      path: '/sales',
      operationId: 'createSale',
      tag: 'sales',
      access: everyone,
      status: 201,
      problems: [422],
      summary:
        'Record a sale: priced from the catalogue, pending until products reserves its stock. Honours Idempotency-Key.',
      body: schemas.saleCreate,
      response: schemas.saleResponse,
      handle: ({ body, ctx }) =>
        useCases.recordSale({
          actor: actorOf(ctx),
          correlationId: ctx.state.requestId,
          idempotency: idempotencyOf(ctx, body),
          lines: body.lines.map((line) => ({
            productId: line.productId,
            unitLevelId: line.unitLevelId,
            quantity: line.quantity,
            discount: discountOf(line),
          })),
          note: body.note,
          paymentMethod: body.paymentMethod,
          amountTenderedMinor: body.amountTenderedMinor,
        }),
    }),
    route({
      method: 'get',
      path: '/sales/:id',
      operationId: 'getSale',
      tag: 'sales',
      access: everyone,
      summary: 'A sale with its lines',
      problems: [404],
      response: schemas.saleResponse,
      handle: async ({ params, ctx }) => presentSale(await useCases.getSale({ actor: actorOf(ctx), id: params.id! })),
    }),
    route({
      method: 'get',
      path: '/sales/:id/lines',
      operationId: 'listSaleLines',
      tag: 'sales',
      access: everyone,
      summary: "A sale's lines",
      problems: [404],
      response: schemas.saleLineList,
      handle: async ({ params, ctx }) => ({
        items: presentSale(await useCases.getSale({ actor: actorOf(ctx), id: params.id! })).lines,
      }),
    }),
    route({
      method: 'get',
      path: '/sales/:id/lines/:lineId',
      operationId: 'getSaleLine',
      tag: 'sales',
      access: everyone,
      summary: 'One line of a sale',
      problems: [404],
      response: schemas.saleLineResponse,
      handle: async ({ params, ctx }) => ({
        ...(await useCases.getSaleLine({ actor: actorOf(ctx), id: params.id!, lineId: params.lineId! })),
      }),
    }),
    route({
      method: 'post',
      path: '/sales/:id/cancel',
      operationId: 'cancelSale',
      tag: 'sales',
      access: everyone,
      problems: [404, 409],
      summary: 'Cancel a pending or confirmed sale (cashiers: their own); products releases its stock',
      body: schemas.saleCancel,
      response: schemas.saleResponse,
      handle: async ({ params, body, ctx }) =>
        presentSale(
          await useCases.cancelSale({
            actor: actorOf(ctx),
            correlationId: ctx.state.requestId,
            id: params.id!,
            reason: body.reason,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/sales/:id/returns',
      operationId: 'listSaleReturns',
      tag: 'sales',
      access: everyone,
      summary: "A sale's returns",
      problems: [404],
      response: schemas.saleReturnList,
      handle: async ({ params, ctx }) => ({
        items: (await useCases.listSaleReturns({ actor: actorOf(ctx), id: params.id! })).map(presentSaleReturn),
      }),
    }),
    route({
      method: 'post',
      path: '/sales/:id/returns',
      operationId: 'createSaleReturn',
      tag: 'sales',
      access: managers,
      status: 201,
      problems: [404, 409, 422],
      summary: 'Return some or all of a confirmed sale; products puts the stock back. Honours Idempotency-Key.',
      body: schemas.saleReturnCreate,
      response: schemas.saleReturnCreated,
      handle: ({ params, body, ctx }) =>
        useCases.returnSale({
          actor: actorOf(ctx),
          correlationId: ctx.state.requestId,
          idempotency: idempotencyOf(ctx, body),
          saleId: params.id!,
          lines: body.lines,
          reason: body.reason ?? null,
        }),
    }),
    route({
      method: 'get',
      path: '/purchases',
      operationId: 'listPurchases',
      tag: 'purchases',
      access: managers,
      summary: 'List purchases',
      query: schemas.purchaseListQuery,
      response: schemas.purchasePage,
      handle: async ({ query }) => {
        const page = await useCases.listPurchases({ query });
        return { ...page, items: page.items.map(presentPurchase) };
      },
    }),
    route({
      method: 'post',
      path: '/purchases',
      operationId: 'createPurchase',
      tag: 'purchases',
      access: managers,
      status: 201,
      problems: [422],
      summary: 'Record a purchase; products adds the stock. Honours Idempotency-Key.',
      body: schemas.purchaseCreate,
      response: schemas.purchaseResponse,
      handle: ({ body, ctx }) =>
        useCases.recordPurchase({
          actor: actorOf(ctx),
          correlationId: ctx.state.requestId,
          idempotency: idempotencyOf(ctx, body),
          supplierName: body.supplierName,
          supplierReference: body.supplierReference,
          lines: body.lines,
        }),
    }),
    route({
      method: 'get',
      path: '/purchases/:id',
      operationId: 'getPurchase',
      tag: 'purchases',
      access: managers,
      summary: 'A purchase with its lines',
      problems: [404],
      response: schemas.purchaseResponse,
      handle: async ({ params }) => presentPurchase(await useCases.getPurchase({ id: params.id! })),
    }),
    route({
      method: 'get',
      path: '/purchases/:id/lines',
      operationId: 'listPurchaseLines',
      tag: 'purchases',
      access: managers,
      summary: "A purchase's lines",
      problems: [404],
      response: schemas.purchaseLineList,
      handle: async ({ params }) => ({ items: presentPurchase(await useCases.getPurchase({ id: params.id! })).lines }),
    }),
    route({
      method: 'get',
      path: '/purchases/:id/lines/:lineId',
      operationId: 'getPurchaseLine',
      tag: 'purchases',
      access: managers,
      summary: 'One line of a purchase',
      problems: [404],
      response: schemas.purchaseLineResponse,
      handle: async ({ params }) => ({
        ...(await useCases.getPurchaseLine({ id: params.id!, lineId: params.lineId! })),
      }),
    }),
    route({
      method: 'get',
      path: '/reports/daily',
      operationId: 'getDailyReport',
      tag: 'reports',
      access: managers,
      summary: 'Sales per day in a time zone: count, revenue, by status and payment method, top products',
      query: schemas.dailyReportQuery,
      response: schemas.dailyReportResponse,
      handle: ({ query }) => useCases.dailyReport({ query }),
    }),
  ];
}
