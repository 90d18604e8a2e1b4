// The HTTP edge against the real database, Kafka and registry, with the real products service
// feeding the read model: Idempotency-Key, bad input, who may do what, lists, reports, OpenAPI.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { transactionsDocument } from '../src/adapters/http/openapi';
import { buildUseCases, transactionsDeps } from '../src/main';
import { buildProduct, settled, startSystem, stockOf, uniqueSku, waitFor, type Caller, type System } from './harness';

let system: System;
let manager: Caller;
let cashier: Caller;
let product: Awaited<ReturnType<typeof buildProduct>>;

beforeAll(async () => {
  system = await startSystem();
  manager = await system.as('manager');
  cashier = await system.as('cashier');
  product = await buildProduct(system, uniqueSku('http'));
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

const count = async (table: string) => Number((await system.db(table).count({ n: '*' }).first())?.n);
/** What a request can write. The saga keeps writing SaleConfirmed/SaleRejected meanwhile, so only requests' own events count. */
const requested = [
  'tulity.transactions.SaleRequested',
  'tulity.transactions.PurchaseRecorded',
  'tulity.transactions.SaleReturned',
];
const written = async () => ({
  sales: await count('sales'),
  purchases: await count('purchases'),
  returns: await count('sale_returns'),
  keys: await count('idempotency_keys'),
  outbox: Number((await system.db('event_outbox').whereIn('event_type', requested).count({ n: '*' }).first())?.n),
});
const saleBody = (quantity = 1) => ({
  lines: [{ productId: product.productId, unitLevelId: product.piece, quantity }],
  paymentMethod: 'cash',
  amountTenderedMinor: 1000,
});

describe('Idempotency-Key', () => {
  test('a retry answers the first response and records no second sale; another body with the key is refused', async () => {
    const key = randomUUID();
    const headers = { 'idempotency-key': key };
    const first = await cashier.call('POST', '/api/v1/sales', { body: saleBody(), headers });
    const before = await written();
    const retry = await cashier.call('POST', '/api/v1/sales', { body: saleBody(), headers });
    expect([retry.status, retry.body]).toEqual([first.status, first.body]);
    expect(await written()).toEqual(before);
    const other = await cashier.call('POST', '/api/v1/sales', { body: saleBody(2), headers });
    expect([other.status, other.body.code, other.body.errors]).toEqual([
      422,
      'IDEMPOTENCY.KEY_REUSED',
      [{ field: 'Idempotency-Key', message: 'Used before with another body; send a new key.' }],
    ]);
    expect(await written()).toEqual(before);
    // The key is the cashier's own: someone else's request with it is theirs.
    const colleague = await system.as('cashier');
    expect((await colleague.call('POST', '/api/v1/sales', { body: saleBody(), headers })).body.id).not.toBe(
      first.body.id,
    );
  });

  test('duplicates arriving at the same moment record one sale, and every answer is that sale', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const before = await written();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => cashier.call('POST', '/api/v1/sales', { body: saleBody(), headers })),
    );
    expect(new Set(answers.map((a) => `${a.status} ${a.body.id}`)).size).toBe(1);
    expect(answers[0]!.status).toBe(201);
    expect(await written()).toEqual({
      ...before,
      sales: before.sales + 1,
      outbox: before.outbox + 1,
      keys: before.keys + 1,
    });
  });

  test('a key older than 24 h counts as new, and pruning forgets it', async () => {
    const key = randomUUID();
    const first = await cashier.call('POST', '/api/v1/sales', {
      body: saleBody(),
      headers: { 'idempotency-key': key },
    });
    const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000 - 1000);
    await system.db('idempotency_keys').where({ user_id: cashier.userId, key }).update({ created_at: dayAgo });
    const later = await cashier.call('POST', '/api/v1/sales', {
      body: saleBody(2),
      headers: { 'idempotency-key': key },
    });
    expect([later.status, later.body.id === first.body.id]).toEqual([201, false]);
    await system.db('idempotency_keys').where({ user_id: cashier.userId, key }).update({ created_at: dayAgo });
    const useCases = buildUseCases(transactionsDeps(system.db, system.settings, system.outgoing));
    expect(await useCases.pruneIdempotencyKeys()).toBe(1);
    expect(await system.db('idempotency_keys').where({ user_id: cashier.userId, key }).first()).toBeUndefined();
  });

  test('purchases and returns honour it too; a malformed key is a 400', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const purchase = {
      supplierName: 'Acme',
      lines: [{ productId: product.productId, unitLevelId: product.box, quantity: 1 }],
    };
    const first = await manager.call('POST', '/api/v1/purchases', { body: purchase, headers });
    expect([first.status, first.body.totalMinor]).toEqual([201, 2000]);
    expect((await manager.call('POST', '/api/v1/purchases', { body: purchase, headers })).body).toEqual(first.body);
    expect(await count('purchases')).toBe(1);
    // The purchase and the sale travel on different topics: sell only once products holds the box.
    await waitFor(
      'the purchased box in stock',
      async () => (await stockOf(system, product.productId)).counted >= 24 || undefined,
    );

    const sale = await settled(cashier, (await cashier.call('POST', '/api/v1/sales', { body: saleBody(3) })).body.id);
    expect(sale.status).toBe('confirmed');
    const giveBack = { lines: [{ saleLineId: sale.lines[0].id, quantity: 1 }] };
    const returnHeaders = { 'idempotency-key': randomUUID() };
    const returned = await manager.call('POST', `/api/v1/sales/${sale.id}/returns`, {
      body: giveBack,
      headers: returnHeaders,
    });
    expect(
      (await manager.call('POST', `/api/v1/sales/${sale.id}/returns`, { body: giveBack, headers: returnHeaders })).body,
    ).toEqual(returned.body);
    expect((await manager.call('GET', `/api/v1/sales/${sale.id}/returns`)).body.items).toHaveLength(1);

    const bad = await cashier.call('POST', '/api/v1/sales', {
      body: saleBody(),
      headers: { 'idempotency-key': 'x'.repeat(201) },
    });
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'Idempotency-Key']);
  }, 60_000);
});

describe('bad input writes nothing', () => {
  const line = () => ({ productId: product.productId, unitLevelId: product.piece, quantity: 1 });
  const cases: Array<[string, number, string[], () => unknown]> = [
    [
      'wrong types',
      400,
      ['lines.0.quantity', 'paymentMethod'],
      () => ({ lines: [{ ...line(), quantity: '2' }], paymentMethod: 7 }),
    ],
    ['zero quantity', 400, ['lines.0.quantity'], () => ({ lines: [{ ...line(), quantity: 0 }] })],
    ['negative quantity', 400, ['lines.0.quantity'], () => ({ lines: [{ ...line(), quantity: -3 }] })],
    ['fractional quantity', 400, ['lines.0.quantity'], () => ({ lines: [{ ...line(), quantity: 1.5 }] })],
    ['no lines', 400, ['lines'], () => ({ lines: [] })],
    ['too many lines', 400, ['lines'], () => ({ lines: Array.from({ length: 101 }, line) })],
    [
      'unknown fields',
      400,
      ['lines.0.unitPriceMinor', 'totalMinor'],
      () => ({ lines: [{ ...line(), unitPriceMinor: 1 }], totalMinor: 1 }),
    ],
    ['malformed ids', 400, ['lines.0.productId'], () => ({ lines: [{ ...line(), productId: 'cola' }] })],
    ['control characters', 400, ['note'], () => ({ lines: [line()], note: 'a\u0000b' })],
    [
      'both discounts',
      400,
      ['lines.0.discountPercent'],
      () => ({ lines: [{ ...line(), discountMinor: 1, discountPercent: 5 }] }),
    ],
    [
      'unknown product',
      422,
      ['lines.1.productId'],
      () => ({ lines: [line(), { ...line(), productId: randomUUID() }] }),
    ],
    ['unknown unit level', 422, ['lines.0.unitLevelId'], () => ({ lines: [{ ...line(), unitLevelId: randomUUID() }] })],
    ['a discount above the line', 422, ['lines.0.discount'], () => ({ lines: [{ ...line(), discountMinor: 151 }] })],
    [
      'too little cash',
      422,
      ['amountTenderedMinor'],
      () => ({ lines: [line()], paymentMethod: 'cash', amountTenderedMinor: 100 }),
    ],
  ];

  test.each(cases)('%s → %i naming the fields', async (_name, status, fields, body) => {
    const before = await written();
    const answer = await cashier.call('POST', '/api/v1/sales', {
      body: body(),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect([
      answer.status,
      answer.headers.get('content-type'),
      answer.body.errors?.map((e: { field: string }) => e.field),
    ]).toEqual([status, 'application/problem+json', fields]);
    expect(await written()).toEqual(before);
  });

  test('a huge body is refused before it is read; a body that is not JSON too', async () => {
    const before = await written();
    const huge = await cashier.call('POST', '/api/v1/sales', { body: { lines: [line()], note: 'x'.repeat(200_000) } });
    expect(huge.status).toBe(413);
    const garbage = await cashier.call('POST', '/api/v1/sales', { body: '{"lines": [' });
    expect(garbage.status).toBe(400);
    expect(await written()).toEqual(before);
  });

  test('purchases and returns are checked the same way', async () => {
    const before = await written();
    const purchase = await manager.call('POST', '/api/v1/purchases', {
      body: { supplierName: ' ', lines: [{ ...line(), unitCostMinor: -1 }] },
    });
    expect([purchase.status, purchase.body.errors.map((e: { field: string }) => e.field)]).toEqual([
      400,
      ['supplierName', 'lines.0.unitCostMinor'],
    ]);
    const unknownSale = await manager.call('POST', `/api/v1/sales/${randomUUID()}/returns`, {
      body: { lines: [{ saleLineId: randomUUID(), quantity: 1 }] },
    });
    expect([unknownSale.status, unknownSale.body.code]).toEqual([404, 'SALE.NOT_FOUND']);
    expect(await written()).toEqual(before);
  });
});

describe('who may do what', () => {
  test("cashiers record sales and see only their own; another cashier's sale is not found", async () => {
    const mine = await cashier.call('POST', '/api/v1/sales', { body: saleBody() });
    const colleague = await system.as('cashier');
    expect((await colleague.call('GET', `/api/v1/sales/${mine.body.id}`)).status).toBe(404);
    expect((await colleague.call('GET', `/api/v1/sales/${mine.body.id}/lines`)).status).toBe(404);
    expect(
      (await colleague.call('POST', `/api/v1/sales/${mine.body.id}/cancel`, { body: { reason: 'x' } })).status,
    ).toBe(404);
    expect((await colleague.call('GET', '/api/v1/sales')).body.items).toEqual([]);
    const line = (await cashier.call('GET', `/api/v1/sales/${mine.body.id}/lines/${mine.body.lines[0].id}`)).body;
    expect([line.quantity, line.unitPriceMinor, line.sku]).toEqual([1, 150, expect.stringMatching(/^TX-http-/)]);
    expect((await manager.call('GET', `/api/v1/sales/${mine.body.id}`)).body.id).toBe(mine.body.id);
  });

  test('only managers and admins record purchases and returns and read reports', async () => {
    expect((await cashier.call('POST', '/api/v1/purchases', { body: { supplierName: 'A', lines: [] } })).status).toBe(
      403,
    );
    expect((await cashier.call('POST', `/api/v1/sales/${randomUUID()}/returns`, { body: { lines: [] } })).status).toBe(
      403,
    );
    expect((await cashier.call('GET', '/api/v1/reports/daily?from=2026-01-01&to=2026-01-02')).status).toBe(403);
    expect((await system.transactions.call('GET', '/api/v1/sales')).status).toBe(401);
  });
});

describe('lists, reports and the document', () => {
  test('sales filter by status, cashier, product and payment method, and sort', async () => {
    const someone = await system.as('cashier');
    const created = [];
    for (const quantity of [1, 2, 3])
      created.push(
        (
          await someone.call('POST', '/api/v1/sales', {
            body: { ...saleBody(quantity), paymentMethod: 'card', amountTenderedMinor: null },
          })
        ).body,
      );
    const list = await manager.call(
      'GET',
      `/api/v1/sales?cashierId=${someone.userId}&productId=${product.productId}&paymentMethod=card&sort=-totalMinor&pageSize=2`,
    );
    expect([list.body.total, list.body.items.map((s: { totalMinor: number }) => s.totalMinor)]).toEqual([
      3,
      [450, 300],
    ]);
    const bad = await manager.call('GET', '/api/v1/sales?sort=password&status=lost&page=0');
    expect([bad.status, bad.body.errors.map((e: { field: string }) => e.field).sort()]).toEqual([
      400,
      ['page', 'sort', 'status'],
    ]);
  });

  test('the daily report counts sales by status and payment method in the asked time zone', async () => {
    await waitFor(
      'every sale to settle',
      async () => (await system.db('sales').where({ status: 'pending' }).first()) === undefined,
    );
    const day = new Date().toLocaleDateString('en-CA', { timeZone: 'Pacific/Kiritimati' });
    const answer = await manager.call('GET', `/api/v1/reports/daily?from=${day}&to=${day}&timeZone=Pacific/Kiritimati`);
    expect(answer.status).toBe(200);
    const today = answer.body.days.find((d: { day: string }) => d.day === day);
    const sales = await system.db('sales').select('status', 'payment_method', 'total_minor', 'refunded_minor');
    expect(today.count).toBe(sales.length);
    expect(today.byStatus.confirmed).toBe(sales.filter((s) => s.status === 'confirmed').length);
    expect(today.revenueMinor).toBe(
      sales
        .filter((s) => s.status === 'confirmed')
        .reduce((sum, s) => sum + Number(s.total_minor) - Number(s.refunded_minor), 0),
    );
    expect(today.topProducts[0].productId).toBe(product.productId);
    const wrong = await manager.call(
      'GET',
      '/api/v1/reports/daily?from=2026-02-01&to=2026-01-01&timeZone=Mars/Olympus',
    );
    expect([wrong.status, wrong.body.errors.map((e: { field: string }) => e.field).sort()]).toEqual([
      400,
      ['timeZone', 'to'],
    ]);
  });

  test('OpenAPI lists every route with its roles', async () => {
    const document = (await system.transactions.call('GET', '/openapi.json')).body;
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/v1/purchases',
      '/api/v1/purchases/{id}',
      '/api/v1/purchases/{id}/lines',
      '/api/v1/purchases/{id}/lines/{lineId}',
      '/api/v1/reports/daily',
      '/api/v1/sales',
      '/api/v1/sales/{id}',
      '/api/v1/sales/{id}/cancel',
      '/api/v1/sales/{id}/lines',
      '/api/v1/sales/{id}/lines/{lineId}',
      '/api/v1/sales/{id}/returns',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/openapi.json',
    ]);
    expect(document.paths['/api/v1/purchases'].post['x-roles']).toEqual(['manager', 'admin']);
  });

  test('serves the document that npm run openapi:generate builds offline', async () => {
    // Built from the route table's declarations alone: the web client's types come from it.
    expect((await system.transactions.call('GET', '/openapi.json')).body).toEqual(
      JSON.parse(JSON.stringify(transactionsDocument())),
    );
  });
});
