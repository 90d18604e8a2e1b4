import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Failure } from '@tulity/adapters/core/failure';
import { box, cola, piece } from '../../test/fakes';
import type { CatalogueProduct } from './catalogue';
import { share } from './money';
import {
  cancel,
  discountOf,
  expire,
  newSale,
  refundFor,
  returnGoods,
  settle,
  type NewSale,
  type Sale,
  type SaleStatus,
} from './sale';

const now = new Date('2026-11-29T10:00:00Z');
let counter = 0;
const newId = () => `id-${++counter}`;
const catalogueOf = (...products: CatalogueProduct[]) => new Map(products.map((p) => [p.id, p]));

const sale = (overrides: Partial<NewSale> = {}, products = catalogueOf(cola())) =>
  newSale(
    {
      id: 'sale-1',
      cashierId: 'cashier-1',
      currency: 'EUR',
      now,
      deadlineMs: 30_000,
      newId,
      lines: [
        { productId: cola().id, unitLevelId: piece, quantity: 3 },
        { productId: cola().id, unitLevelId: box, quantity: 2 },
      ],
      ...overrides,
    },
    products,
  );

/** The failure `run` throws, for asserting its kind, code and fields. */
function failureOf(run: () => unknown): Failure {
  try {
    run();
  } catch (error) {
    if (error instanceof Failure) return error;
    throw error;
  }
  throw new Error('expected a Failure');
}

describe('totals', () => {
  test('prices every line from the catalogue in minor units, with base quantities through the levels', () => {
    const s = sale();
    expect(s.lines.map((l) => [l.unitPriceMinor, l.grossMinor, l.baseQuantity, l.lineTotalMinor])).toEqual([
      [150, 450, 3, 450],
      [3200, 6400, 48, 6400],
    ]);
    expect(s.totalMinor).toBe(6850);
    expect(s.status).toBe('pending');
    expect(s.deadlineAt).toEqual(new Date(now.getTime() + 30_000));
  });

  test('a percentage discount rounds half up to the minor unit; an amount is taken as it is', () => {
    expect(share(150, 1250, 10_000)).toBe(19); // 18.75
    expect(share(10, 500, 10_000)).toBe(1); // 0.5
    expect(share(10, 499, 10_000)).toBe(0); // 0.499
    expect(discountOf(450, { kind: 'percent', basisPoints: 1000 })).toBe(45);
    expect(discountOf(450, { kind: 'amount', minor: 7 })).toBe(7);
    expect(discountOf(450, undefined)).toBe(0);
    const s = sale({
      lines: [
        { productId: cola().id, unitLevelId: piece, quantity: 1, discount: { kind: 'percent', basisPoints: 1250 } },
        { productId: cola().id, unitLevelId: box, quantity: 1, discount: { kind: 'amount', minor: 200 } },
      ],
    });
    expect(s.lines.map((l) => l.lineTotalMinor)).toEqual([131, 3000]);
    expect([s.discountMinor, s.totalMinor]).toEqual([219, 3131]);
  });

  test('a discount larger than its line is refused, naming the line', () => {
    const failure = failureOf(() =>
      sale({
        lines: [{ productId: cola().id, unitLevelId: piece, quantity: 1, discount: { kind: 'amount', minor: 151 } }],
      }),
    );
    expect([failure.kind, failure.code, failure.fields]).toEqual([
      'unprocessable',
      'SALE.DISCOUNT_TOO_LARGE',
      [{ field: 'lines.0.discount', message: 'Larger than the line total.' }],
    ]);
  });

  test('cash tendered gives change; too little, or tendered for a card, is refused', () => {
    const paid = sale({ paymentMethod: 'cash', amountTenderedMinor: 10_000 });
    expect([paid.amountTenderedMinor, paid.changeMinor]).toEqual([10_000, 3150]);
    expect(sale({ paymentMethod: 'card' }).changeMinor).toBeNull();
    expect(failureOf(() => sale({ paymentMethod: 'cash', amountTenderedMinor: 6849 })).code).toBe(
      'SALE.TENDERED_TOO_LITTLE',
    );
    expect(failureOf(() => sale({ paymentMethod: 'card', amountTenderedMinor: 10_000 })).code).toBe(
      'SALE.TENDERED_NOT_CASH',
    );
  });

  test('totals past exact integers are refused rather than rounded', () => {
    const dear = cola({ unitLevels: [{ ...cola().unitLevels[0]!, sellPriceMinor: 1_000_000_000_000 }] });
    expect(
      failureOf(() =>
        sale({ lines: [{ productId: dear.id, unitLevelId: piece, quantity: 1_000_000 }] }, catalogueOf(dear)),
      ).code,
    ).toBe('SALE.TOTAL_TOO_LARGE');
  });

  test('unknown, deleted, inactive, unpriced or foreign-priced products and levels are 422 naming each line', () => {
    const other = { ...cola(), id: '44444444-4444-4444-8444-444444444444' };
    const cases: Array<[CatalogueProduct | undefined, string, string]> = [
      [undefined, piece, 'lines.0.productId'],
      [cola({ deleted: true }), piece, 'lines.0.productId'],
      [cola({ active: false }), piece, 'lines.0.productId'],
      [cola(), other.id, 'lines.0.unitLevelId'],
      [
        cola({ unitLevels: [{ ...cola().unitLevels[0]!, sellPriceMinor: null, currency: null }] }),
        piece,
        'lines.0.unitLevelId',
      ],
      [cola({ unitLevels: [{ ...cola().unitLevels[0]!, currency: 'USD' }] }), piece, 'lines.0.unitLevelId'],
    ];
    for (const [product, level, field] of cases) {
      const failure = failureOf(() =>
        sale(
          { lines: [{ productId: cola().id, unitLevelId: level, quantity: 1 }] },
          product ? catalogueOf(product) : new Map(),
        ),
      );
      expect([failure.kind, failure.code, failure.fields?.map((f) => f.field)]).toEqual([
        'unprocessable',
        'LINES.UNUSABLE',
        [field],
      ]);
    }
    const both = failureOf(() =>
      sale({
        lines: [
          { productId: cola().id, unitLevelId: piece, quantity: 1 },
          { productId: other.id, unitLevelId: piece, quantity: 1 },
          { productId: cola().id, unitLevelId: other.id, quantity: 1 },
        ],
      }),
    );
    expect(both.fields?.map((f) => f.field)).toEqual(['lines.1.productId', 'lines.2.unitLevelId']);
  });
});

describe('the state machine', () => {
  const at = new Date(now.getTime() + 1000);
  const late = new Date(now.getTime() + 31_000);
  const inState = (status: SaleStatus): Sale => ({ ...sale(), status });
  type Outcome = SaleStatus | 'unchanged' | string;
  const attempt = (run: () => Sale | undefined): Outcome => {
    try {
      return run()?.status ?? 'unchanged';
    } catch (error) {
      return (error as Failure).code;
    }
  };
  const events: Record<string, (s: Sale) => Sale | undefined> = {
    stockReserved: (s) => settle(s, { kind: 'reserved' }, at),
    stockRejected: (s) => settle(s, { kind: 'rejected', reason: 'insufficient-stock', shortages: [] }, at),
    cancel: (s) => cancel(s, 'manager-1', 'customer left', at),
    expireBeforeDeadline: (s) => expire(s, at),
    expireAfterDeadline: (s) => expire(s, late),
    returnOne: (s) =>
      returnGoods(s, {
        id: 'r-1',
        by: 'manager-1',
        reason: null,
        lines: [{ saleLineId: s.lines[0]!.id, quantity: 1 }],
        at,
      }).sale,
  };
  const expected: Record<SaleStatus, Record<string, Outcome>> = {
    pending: {
      stockReserved: 'confirmed',
      stockRejected: 'rejected',
      cancel: 'cancelled',
      expireBeforeDeadline: 'unchanged',
      expireAfterDeadline: 'cancelled',
      returnOne: 'SALE.NOT_RETURNABLE',
    },
    confirmed: {
      stockReserved: 'unchanged',
      stockRejected: 'unchanged',
      cancel: 'cancelled',
      expireBeforeDeadline: 'unchanged',
      expireAfterDeadline: 'unchanged',
      returnOne: 'confirmed',
    },
    rejected: {
      stockReserved: 'unchanged',
      stockRejected: 'unchanged',
      cancel: 'SALE.NOT_CANCELLABLE',
      expireBeforeDeadline: 'unchanged',
      expireAfterDeadline: 'unchanged',
      returnOne: 'SALE.NOT_RETURNABLE',
    },
    cancelled: {
      stockReserved: 'unchanged',
      stockRejected: 'unchanged',
      cancel: 'SALE.NOT_CANCELLABLE',
      expireBeforeDeadline: 'unchanged',
      expireAfterDeadline: 'unchanged',
      returnOne: 'SALE.NOT_RETURNABLE',
    },
  };

  test('every event in every state', () => {
    const actual = Object.fromEntries(
      Object.keys(expected).map((status) => [
        status,
        Object.fromEntries(
          Object.entries(events).map(([name, run]) => [name, attempt(() => run(inState(status as SaleStatus)))]),
        ),
      ]),
    );
    expect(actual).toEqual(expected);
  });

  test('a rejection keeps its reason and shortages; a cancellation who and why; the deadline cancels as the system', () => {
    const shortages = [{ productId: cola().id, requestedBase: 51, availableBase: 3 }];
    expect(settle(sale(), { kind: 'rejected', reason: 'insufficient-stock', shortages }, at)?.rejection).toEqual({
      reason: 'insufficient-stock',
      shortages,
    });
    expect(cancel(sale(), 'manager-1', 'customer left', at).cancellation).toEqual({
      by: 'manager-1',
      reason: 'customer left',
    });
    expect(expire(sale(), late)?.cancellation?.by).toBe('system');
  });

  test('a confirmed sale with returns can no longer be cancelled', () => {
    const confirmed = inState('confirmed');
    const { sale: returned } = returnGoods(confirmed, {
      id: 'r-1',
      by: 'm',
      reason: null,
      lines: [{ saleLineId: confirmed.lines[0]!.id, quantity: 1 }],
      at,
    });
    expect(attempt(() => cancel(returned, 'm', 'x', at))).toBe('SALE.NOT_CANCELLABLE');
  });
});

describe('returns', () => {
  const confirmed = (): Sale => ({
    ...sale({
      lines: [{ productId: cola().id, unitLevelId: piece, quantity: 3, discount: { kind: 'amount', minor: 350 } }],
    }),
    status: 'confirmed',
  });
  const give = (s: Sale, quantity: number) =>
    returnGoods(s, {
      id: `r-${quantity}`,
      by: 'manager-1',
      reason: 'broken',
      lines: [{ saleLineId: s.lines[0]!.id, quantity }],
      at: now,
    });

  test('refunds the line total share by share, adding up to it exactly', () => {
    let s = confirmed(); // 3 × 150 − 350 = 100
    const refunds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = give(s, 1);
      refunds.push(outcome.saleReturn.refundMinor);
      s = outcome.sale;
    }
    expect(refunds).toEqual([33, 34, 33]);
    expect([s.refundedMinor, s.lines[0]!.returnedQuantity, s.lines[0]!.refundedMinor]).toEqual([100, 3, 100]);
  });

  test('never more than was sold, counting earlier returns', () => {
    const once = give(confirmed(), 2).sale;
    const failure = failureOf(() => give(once, 2));
    expect([failure.code, failure.fields]).toEqual([
      'RETURN.TOO_MUCH',
      [{ field: 'lines.0.quantity', message: 'At most 1 can still be returned.' }],
    ]);
    expect(give(once, 1).saleReturn.lines[0]).toMatchObject({ quantity: 1, baseQuantity: 1, conversionFactor: 1 });
  });

  test('a line of another sale, or the same line twice, is refused', () => {
    const s = confirmed();
    expect(
      failureOf(() =>
        returnGoods(s, { id: 'r', by: 'm', reason: null, lines: [{ saleLineId: 'nope', quantity: 1 }], at: now }),
      ).code,
    ).toBe('RETURN.UNKNOWN_LINE');
    expect(
      failureOf(() =>
        returnGoods(s, {
          id: 'r',
          by: 'm',
          reason: null,
          lines: [
            { saleLineId: s.lines[0]!.id, quantity: 1 },
            { saleLineId: s.lines[0]!.id, quantity: 1 },
          ],
          at: now,
        }),
      ).code,
    ).toBe('RETURN.DUPLICATE_LINE');
  });

  test('any split of a line into returns refunds exactly its total, each step between 0 and the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 60 }),
        (quantity, lineTotalMinor, steps) => {
          const line = { ...sale().lines[0]!, quantity, lineTotalMinor, returnedQuantity: 0, refundedMinor: 0 };
          let refunded = 0;
          for (const step of steps) {
            const take = Math.min(step, line.quantity - line.returnedQuantity);
            if (take === 0) break;
            const refund = refundFor(line, take);
            expect(refund).toBeGreaterThanOrEqual(0);
            line.returnedQuantity += take;
            line.refundedMinor += refund;
            refunded += refund;
          }
          const rest = line.quantity - line.returnedQuantity;
          if (rest > 0) refunded += refundFor(line, rest);
          expect(refunded).toBe(lineTotalMinor);
        },
      ),
    );
  });
});
