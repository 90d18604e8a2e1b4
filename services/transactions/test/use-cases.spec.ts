import { beforeEach, describe, expect, test } from '@jest/globals';
import type { Actor } from '@tulity/adapters/core/actor';
import { Failure } from '@tulity/adapters/core/failure';
import { cancelSale } from '../src/application/cancel-sale';
import { expireOverdueSales } from '../src/application/expire-sales';
import { idempotencyKeyLifetimeMs, pruneIdempotencyKeys } from '../src/application/idempotency';
import { getSale, listSales } from '../src/application/read-sales';
import { recordPurchase } from '../src/application/record-purchase';
import { recordSale } from '../src/application/record-sale';
import { returnSale } from '../src/application/return-sale';
import { settleSale } from '../src/application/settle-sale';
import type { Sale } from '../src/domain/sale';
import { box, cola, fakeDeps, piece } from './fakes';

const cashier: Actor = { userId: 'aaaaaaaa-0000-4000-8000-000000000001', role: 'cashier', sessionId: 's1' };
const otherCashier: Actor = { userId: 'aaaaaaaa-0000-4000-8000-000000000002', role: 'cashier', sessionId: 's2' };
const manager: Actor = { userId: 'aaaaaaaa-0000-4000-8000-000000000003', role: 'manager', sessionId: 's3' };
const lines = [{ productId: cola().id, unitLevelId: piece, quantity: 2 }];

let setup: ReturnType<typeof fakeDeps>;
const record = (actor = cashier, idempotency?: { key: string; fingerprint: string }, saleLines = lines) =>
  recordSale(setup.deps, (sale: Sale) => sale)({ actor, correlationId: 'c', idempotency, lines: saleLines });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: Failure) => error.code,
  );

beforeEach(() => {
  setup = fakeDeps();
  setup.uow.store.products.set(cola().id, cola());
});

describe('recording a sale', () => {
  test('stores it pending and records SaleRequested with it', async () => {
    const sale = await record();
    expect(setup.uow.store.sales.get(sale.id)?.status).toBe('pending');
    expect(setup.uow.store.events.map((e) => [e.type, 'sale' in e ? e.sale.totalMinor : null])).toEqual([
      ['SaleRequested', 300],
    ]);
  });

  test('a retry with the same key replays the first answer and records nothing new', async () => {
    const key = { key: 'k-1', fingerprint: 'f-1' };
    const first = await record(cashier, key);
    const again = await record(cashier, key);
    expect(again).toEqual(first);
    expect([setup.uow.store.sales.size, setup.uow.store.events.length]).toEqual([1, 1]);
  });

  test('the same key with another body is refused; another user may use the same key', async () => {
    await record(cashier, { key: 'k-1', fingerprint: 'f-1' });
    expect(await codeOf(record(cashier, { key: 'k-1', fingerprint: 'f-2' }))).toBe('IDEMPOTENCY.KEY_REUSED');
    await record(otherCashier, { key: 'k-1', fingerprint: 'f-2' });
    expect(setup.uow.store.sales.size).toBe(2);
  });

  test('a failed attempt keeps neither the sale nor the key, so a corrected retry goes through', async () => {
    const key = { key: 'k-1', fingerprint: 'f-1' };
    expect(await codeOf(record(cashier, key, [{ ...lines[0]!, unitLevelId: 'unknown' }]))).toBe('LINES.UNUSABLE');
    expect([setup.uow.store.sales.size, setup.uow.store.keys.size, setup.uow.store.events.length]).toEqual([0, 0, 0]);
    await record(cashier, key);
    expect(setup.uow.store.sales.size).toBe(1);
  });

  test('keys expire after 24 h and are pruned', async () => {
    await record(cashier, { key: 'k-1', fingerprint: 'f-1' });
    setup.clock.advance(idempotencyKeyLifetimeMs);
    await record(cashier, { key: 'k-1', fingerprint: 'f-2' });
    expect(setup.uow.store.sales.size).toBe(2);
    setup.clock.advance(idempotencyKeyLifetimeMs + 1);
    expect(await pruneIdempotencyKeys(setup.deps)()).toBe(1);
    expect(setup.uow.store.keys.size).toBe(0);
  });
});

describe('who sees what', () => {
  test("a cashier sees and cancels only their own sales; another's answers not-found", async () => {
    const sale = await record();
    expect(await codeOf(getSale(setup.deps)({ actor: otherCashier, id: sale.id }))).toBe('SALE.NOT_FOUND');
    expect(
      await codeOf(cancelSale(setup.deps)({ actor: otherCashier, correlationId: 'c', id: sale.id, reason: 'x' })),
    ).toBe('SALE.NOT_FOUND');
    expect((await getSale(setup.deps)({ actor: manager, id: sale.id })).id).toBe(sale.id);
    await record(otherCashier);
    const page = (actor: Actor) =>
      listSales(setup.deps)({
        actor,
        query: { page: 1, pageSize: 20, sort: 'createdAt', descending: true, cashierId: otherCashier.userId },
      });
    expect((await page(cashier)).items.map((s) => s.cashierId)).toEqual([cashier.userId]);
    expect((await page(manager)).total).toBe(1);
  });
});

describe('the saga', () => {
  test('a reservation confirms once; a redelivery changes nothing and records nothing', async () => {
    const sale = await record();
    const settle = settleSale(setup.deps);
    expect(await settle({ correlationId: 'c', saleId: sale.id, outcome: { kind: 'reserved' } })).toBe(true);
    expect(await settle({ correlationId: 'c', saleId: sale.id, outcome: { kind: 'reserved' } })).toBe(false);
    expect(
      await settle({ correlationId: 'c', saleId: sale.id, outcome: { kind: 'rejected', reason: 'x', shortages: [] } }),
    ).toBe(false);
    expect(await settle({ correlationId: 'c', saleId: 'never-recorded', outcome: { kind: 'reserved' } })).toBe(false);
    expect(setup.uow.store.events.map((e) => e.type)).toEqual(['SaleRequested', 'SaleConfirmed']);
  });

  test('a sale past its deadline is cancelled by the service, and a later reservation leaves it cancelled', async () => {
    const sale = await record();
    const expireOverdue = expireOverdueSales(setup.deps);
    setup.clock.advance(29_999);
    expect(await expireOverdue({ limit: 10 })).toBe(0);
    setup.clock.advance(1);
    expect(await expireOverdue({ limit: 10 })).toBe(1);
    expect(await settleSale(setup.deps)({ correlationId: 'c', saleId: sale.id, outcome: { kind: 'reserved' } })).toBe(
      false,
    );
    expect(setup.uow.store.sales.get(sale.id)?.status).toBe('cancelled');
    expect(setup.uow.store.events.map((e) => e.type)).toEqual(['SaleRequested', 'SaleCancelled']);
  });

  test('returns of a confirmed sale record SaleReturned and are idempotent', async () => {
    const sale = await record();
    await settleSale(setup.deps)({ correlationId: 'c', saleId: sale.id, outcome: { kind: 'reserved' } });
    const giveBack = returnSale(setup.deps, (_sale, saleReturn) => saleReturn);
    const command = {
      actor: manager,
      correlationId: 'c',
      idempotency: { key: 'r-1', fingerprint: 'f' },
      saleId: sale.id,
      lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }],
      reason: null,
    };
    const first = await giveBack(command);
    expect(await giveBack(command)).toEqual(first);
    expect(first.refundMinor).toBe(150);
    expect(setup.uow.store.returns).toHaveLength(1);
    expect(setup.uow.store.events.map((e) => e.type)).toEqual(['SaleRequested', 'SaleConfirmed', 'SaleReturned']);
  });
});

describe('purchases', () => {
  const buy = (lineOverrides: object = {}) =>
    recordPurchase(
      setup.deps,
      (p) => p,
    )({
      actor: manager,
      correlationId: 'c',
      supplierName: 'Acme',
      supplierReference: 'INV-7',
      lines: [{ productId: cola().id, unitLevelId: box, quantity: 3, ...lineOverrides }],
    });

  test('costs come from the buy price unless given; PurchaseRecorded carries base quantities', async () => {
    expect((await buy()).lines[0]).toMatchObject({ unitCostMinor: 2000, lineTotalMinor: 6000, baseQuantity: 72 });
    expect((await buy({ unitCostMinor: 1800 })).totalMinor).toBe(5400);
    expect(setup.uow.store.events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PurchaseRecorded']);
  });

  test('an unknown buy price must be given, naming the line', async () => {
    setup.uow.store.products.set(
      cola().id,
      cola({ unitLevels: cola().unitLevels.map((l) => ({ ...l, buyPriceMinor: null })) }),
    );
    const failure = await buy().catch((error: Failure) => error);
    expect([(failure as Failure).code, (failure as Failure).fields?.[0]?.field]).toEqual([
      'LINES.UNUSABLE',
      'lines.0.unitCostMinor',
    ]);
  });
});
