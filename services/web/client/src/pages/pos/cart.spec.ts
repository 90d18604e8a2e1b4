import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
// The server's pricing, to hold the till's figures to it: what the cashier sees before the answer
// must be what the sale will say.
import { newSale } from '../../../../../transactions/src/domain/sale';
import type { CatalogueProduct } from '../../../../../transactions/src/domain/catalogue';
import {
  addProduct,
  changeOf,
  emptyCart,
  parseMoney,
  parsePercent,
  parseQuantity,
  priceLine,
  removeLine,
  saleRequestOf,
  setDiscount,
  setLevel,
  setQuantity,
  totalsOf,
  type CartProduct,
} from './cart';

const cola: CartProduct = {
  productId: '00000000-0000-4000-8000-000000000001',
  sku: 'COLA-033',
  name: 'Cola 0.33 l',
  stockBase: 30,
  levels: [
    { unitLevelId: 'box', unitName: 'box', factor: 24, priceMinor: 2_000 },
    { unitLevelId: 'piece', unitName: 'piece', factor: 1, priceMinor: 99 },
  ],
};
const unpriced: CartProduct = {
  productId: '00000000-0000-4000-8000-000000000002',
  sku: 'NEW-1',
  name: 'Not priced yet',
  stockBase: 5,
  levels: [{ unitLevelId: 'each', unitName: 'piece', factor: 1, priceMinor: null }],
};

describe('the cart', () => {
  test('a product goes in at its smallest priced level, and adding it again adds to its line', () => {
    let cart = addProduct(emptyCart('EUR'), cola);
    cart = addProduct(cart, cola);
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]).toMatchObject({ unitLevelId: 'piece', quantity: 2 });
    cart = addProduct(cart, cola, 'box', 2);
    expect(cart.lines.map((line) => [line.unitLevelId, line.quantity])).toEqual([
      ['piece', 2],
      ['box', 2],
    ]);
  });

  test('totals are quantity × level price less discounts, in minor units', () => {
    let cart = addProduct(emptyCart('EUR'), cola, 'box', 2);
    cart = addProduct(cart, cola, 'piece', 3);
    cart = setDiscount(cart, 0, { kind: 'percent', basisPoints: 1_250 });
    cart = setDiscount(cart, 1, { kind: 'amount', minor: 7 });
    const totals = totalsOf(cart);
    expect(totals.lines.map((line) => [line.grossMinor, line.discountMinor, line.totalMinor])).toEqual([
      [4_000, 500, 3_500],
      [297, 7, 290],
    ]);
    expect(totals).toMatchObject({ grossMinor: 4_297, discountMinor: 507, totalMinor: 3_790 });
  });

  test('a percentage discount rounds half up to the minor unit, as the server does', () => {
    // 3 × 0.99 = 2.97; 50% of it is 1.485 → 1.49.
    const cart = setDiscount(addProduct(emptyCart('EUR'), cola, 'piece', 3), 0, {
      kind: 'percent',
      basisPoints: 5_000,
    });
    expect(priceLine(cart.lines[0]!)).toMatchObject({ discountMinor: 149, totalMinor: 148 });
  });

  test('changing the level reprices the line and counts its base units', () => {
    let cart = addProduct(emptyCart('EUR'), cola, 'piece', 2);
    cart = setLevel(cart, 0, 'box');
    expect(priceLine(cart.lines[0]!)).toMatchObject({ grossMinor: 4_000, baseQuantity: 48 });
  });

  test('more base units than were on hand is shown as a shortage before the server is asked', () => {
    let cart = addProduct(emptyCart('EUR'), cola, 'box', 1);
    expect(totalsOf(cart).shortages).toEqual([]);
    cart = addProduct(cart, cola, 'piece', 7);
    expect(totalsOf(cart).shortages).toEqual([
      { productId: cola.productId, name: cola.name, requestedBase: 31, availableBase: 30 },
    ]);
  });

  test('lines that cannot be sold are named, and the sale is not sent', () => {
    let cart = addProduct(emptyCart('EUR'), unpriced);
    expect(priceLine(cart.lines[0]!).problems).toEqual(['piece has no selling price.']);
    cart = removeLine(addProduct(cart, cola), 0);
    cart = setDiscount(cart, 0, { kind: 'amount', minor: 100 });
    expect(saleRequestOf(cart, { method: 'card', tenderedMinor: null })).toEqual({
      ok: false,
      message: 'Line 1: The discount is larger than the line.',
    });
    expect(saleRequestOf(setQuantity(cart, 0, 0), { method: 'card', tenderedMinor: null })).toMatchObject({
      ok: false,
      message: 'Line 1: The quantity must be a whole number of 1 or more.',
    });
    expect(priceLine({ ...cart.lines[0]!, discount: { kind: 'amount', minor: Number.NaN } }).problems).toEqual([
      'The discount is not a valid amount.',
    ]);
    expect(saleRequestOf(emptyCart('EUR'), { method: 'card', tenderedMinor: null })).toEqual({
      ok: false,
      message: 'The cart is empty.',
    });
  });

  test('cash gives change; too little cash is refused before sending', () => {
    const cart = addProduct(emptyCart('EUR'), cola, 'box', 2);
    expect(changeOf(4_000, { method: 'cash', tenderedMinor: 5_000 })).toBe(1_000);
    expect(changeOf(4_000, { method: 'card', tenderedMinor: 5_000 })).toBeNull();
    expect(saleRequestOf(cart, { method: 'cash', tenderedMinor: 3_999 })).toEqual({
      ok: false,
      message: 'The cash tendered is less than the total.',
    });
  });

  test('the request names levels, quantities and discounts as the sale API takes them', () => {
    let cart = addProduct(emptyCart('EUR'), cola, 'box', 2);
    cart = setDiscount(addProduct(cart, cola, 'piece', 1), 1, { kind: 'percent', basisPoints: 1_250 });
    cart = setDiscount(cart, 0, { kind: 'amount', minor: 100 });
    expect(saleRequestOf(cart, { method: 'cash', tenderedMinor: 5_000 }, ' till 2 ')).toEqual({
      ok: true,
      value: {
        lines: [
          { productId: cola.productId, unitLevelId: 'box', quantity: 2, discountMinor: 100 },
          { productId: cola.productId, unitLevelId: 'piece', quantity: 1, discountPercent: 12.5 },
        ],
        paymentMethod: 'cash',
        amountTenderedMinor: 5_000,
        note: 'till 2',
      },
    });
  });

  test("the till's totals and change are the server's, for any lines and discounts", () => {
    const line = fc.record({
      level: fc.constantFrom('box', 'piece'),
      quantity: fc.integer({ min: 1, max: 1_000 }),
      discount: fc.oneof(
        fc.constant(null),
        fc.record({ kind: fc.constant('percent' as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) }),
        fc.record({ kind: fc.constant('amount' as const), minor: fc.integer({ min: 0, max: 50 }) }),
      ),
    });
    const catalogue: CatalogueProduct = {
      id: cola.productId,
      sku: cola.sku,
      name: cola.name,
      active: true,
      deleted: false,
      unitLevels: cola.levels.map((level) => ({
        id: level.unitLevelId,
        unitName: level.unitName,
        conversionFactor: level.factor,
        sellPriceMinor: level.priceMinor,
        buyPriceMinor: 0,
        currency: 'EUR',
      })),
    };
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 10_000 }),
        (lines, extra) => {
          let cart = emptyCart('EUR');
          lines.forEach((wanted) => {
            const line = { key: cart.nextKey, product: cola, unitLevelId: wanted.level, ...wanted };
            cart = { ...cart, lines: [...cart.lines, line], nextKey: cart.nextKey + 1 };
          });
          const totals = totalsOf(cart);
          const tenderedMinor = totals.totalMinor + extra;
          const request = saleRequestOf(cart, { method: 'cash', tenderedMinor });
          if (!request.ok) throw new Error(request.message);
          let ids = 0;
          const sale = newSale(
            {
              id: 'sale',
              cashierId: 'cashier',
              currency: 'EUR',
              now: new Date(0),
              deadlineMs: 1,
              newId: () => `line-${ids++}`,
              amountTenderedMinor: request.value.amountTenderedMinor,
              paymentMethod: request.value.paymentMethod,
              lines: request.value.lines.map((sent) => ({
                productId: sent.productId,
                unitLevelId: sent.unitLevelId,
                quantity: sent.quantity,
                // As the route reads the body (services/transactions/src/adapters/http/routes.ts).
                discount:
                  sent.discountMinor !== undefined
                    ? { kind: 'amount' as const, minor: sent.discountMinor }
                    : sent.discountPercent !== undefined
                      ? { kind: 'percent' as const, basisPoints: Math.round(sent.discountPercent * 100) }
                      : undefined,
              })),
            },
            new Map([[catalogue.id, catalogue]]),
          );
          expect(sale.lines.map((l) => l.lineTotalMinor)).toEqual(totals.lines.map((l) => l.totalMinor));
          expect([sale.totalMinor, sale.discountMinor, sale.changeMinor]).toEqual([
            totals.totalMinor,
            totals.discountMinor,
            changeOf(totals.totalMinor, { method: 'cash', tenderedMinor }),
          ]);
        },
      ),
    );
  });
});

describe('typed amounts', () => {
  test('money is read into minor units without float error, per the currency', () => {
    expect(parseMoney('12.5', 'EUR')).toEqual({ ok: true, value: 1_250 });
    expect(parseMoney('0,30', 'EUR')).toEqual({ ok: true, value: 30 });
    expect(parseMoney(' 20 ', 'EUR')).toEqual({ ok: true, value: 2_000 });
    expect(parseMoney('1005', 'JPY')).toEqual({ ok: true, value: 1_005 });
    expect(parseMoney('10.5', 'JPY')).toMatchObject({ ok: false });
    expect(parseMoney('1.234', 'EUR')).toMatchObject({ ok: false });
    expect(parseMoney('-1', 'EUR')).toMatchObject({ ok: false });
    expect(parseMoney('abc', 'EUR')).toMatchObject({ ok: false });
  });

  test('percentages take two decimals and stop at 100', () => {
    expect(parsePercent('12.5')).toEqual({ ok: true, value: 1_250 });
    expect(parsePercent('100')).toEqual({ ok: true, value: 10_000 });
    expect(parsePercent('100.01')).toMatchObject({ ok: false });
    expect(parsePercent('1.005')).toMatchObject({ ok: false });
  });

  test('quantities are whole numbers from 1 to a million', () => {
    expect(parseQuantity('2')).toEqual({ ok: true, value: 2 });
    expect(parseQuantity('0')).toMatchObject({ ok: false });
    expect(parseQuantity('1.5')).toMatchObject({ ok: false });
    expect(parseQuantity('1000001')).toMatchObject({ ok: false });
  });
});
