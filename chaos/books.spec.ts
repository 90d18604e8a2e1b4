// The checker of the chaos run can fail: balanced books pass, and each planted fault — an event
// applied twice, an inbox row deleted, a sale left pending, an unpublished outbox row, a 2xx sale
// that is not in the database — fails the check that guards it, naming the ids.
import { describe, expect, test } from '@jest/globals';
import { checkBooks, checkNames, type BooksInput } from './books';

const product = 'p-1';
const saleEvent = { topic: 'transactions.sale', eventId: 'e-sale', eventType: 'SaleRequested' };
const purchaseEvent = { topic: 'transactions.purchase', eventId: 'e-purchase', eventType: 'PurchaseRecorded' };

/** One purchase of 10, one confirmed sale of 3 with 1 returned, one adjustment of -1: stock 7. */
function balanced(): BooksInput {
  return {
    products: [product],
    stock: [{ productId: product, quantity: 7 }],
    movements: [
      { productId: product, delta: 10, balanceAfter: 10, reason: 'purchase', reference: 'buy-1' },
      { productId: product, delta: -3, balanceAfter: 7, reason: 'sale_reservation', reference: 'sale-1' },
      { productId: product, delta: 1, balanceAfter: 8, reason: 'sale_return', reference: 'sale-1' },
      { productId: product, delta: -1, balanceAfter: 7, reason: 'manual_adjustment', reference: null },
    ],
    purchaseLines: [{ purchaseId: 'buy-1', productId: product, baseQuantity: 10 }],
    sales: [{ id: 'sale-1', status: 'confirmed' }],
    saleLines: [{ saleId: 'sale-1', productId: product, baseQuantity: 3, returnedBase: 1 }],
    returns: [{ id: 'ret-1', saleId: 'sale-1' }],
    productReturns: [{ id: 'ret-1', saleId: 'sale-1' }],
    reservations: [{ saleId: 'sale-1', status: 'reserved' }],
    outbox: [
      { service: 'transactions', eventId: 'e-sale', topic: 'transactions.sale', published: true },
      { service: 'transactions', eventId: 'e-purchase', topic: 'transactions.purchase', published: true },
    ],
    inbox: [
      { group: 'products', eventId: 'e-sale' },
      { group: 'products', eventId: 'e-purchase' },
    ],
    // A re-sent copy on the topic is normal after a relay crash: the inbox drops it.
    topicEvents: [saleEvent, purchaseEvent, saleEvent],
    deadLetters: [],
    handledTypes: { products: ['SaleRequested', 'PurchaseRecorded'] },
    notifications: [{ sourceId: 'e-sale', recipientId: 'u-1', count: 1 }],
    acknowledged: {
      sales: ['sale-1'],
      purchases: ['buy-1'],
      returns: ['ret-1'],
      cancelled: [],
      adjustments: { [product]: { acknowledged: 1, unanswered: 0 } },
    },
  };
}

const failed = (input: BooksInput) =>
  checkBooks(input)
    .checks.filter((c) => !c.ok)
    .map((c) => [c.name, c.problems.join('; ')]);

describe('the chaos books', () => {
  test('balanced books pass every check', () => {
    const verdict = checkBooks(balanced());
    expect(verdict.checks.map((c) => c.name)).toEqual([...checkNames]);
    expect(failed(balanced())).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, balanced: true, lost: 0, appliedTwice: 0 });
  });

  test('a purchase applied twice: the ledger shows the cause twice and the stock no longer balances', () => {
    const input = balanced();
    input.movements.push({ productId: product, delta: 10, balanceAfter: 17, reason: 'purchase', reference: 'buy-1' });
    input.stock[0]!.quantity = 17;
    const verdict = checkBooks(input);
    expect(verdict).toMatchObject({ ok: false, balanced: false, appliedTwice: 1 });
    expect(failed(input)).toEqual([
      ['stock = opening + purchases - sold + returns + adjustments', 'p-1: stock 17 ≠ 7 from the transactions'],
      ['ledger: each cause once', 'applied twice: purchase buy-1 p-1 ×2'],
    ]);
  });

  test('a deleted inbox row: the event counts as never applied by that group', () => {
    const input = balanced();
    input.inbox = input.inbox.filter((row) => row.eventId !== 'e-purchase');
    expect(checkBooks(input)).toMatchObject({ ok: false, lost: 1 });
    expect(failed(input)).toEqual([['every event applied once per group', 'products never applied e-purchase']]);
  });

  test('a sale left pending, an unpublished outbox row, a dead letter and a lost 2xx are each named', () => {
    const input = balanced();
    input.sales.push({ id: 'sale-2', status: 'pending' });
    input.outbox.push({ service: 'products', eventId: 'e-stuck', topic: 'products.stock', published: false });
    input.deadLetters.push({ topic: 'transactions.sale.dlq', group: 'products', eventId: 'e-bad' });
    input.acknowledged.sales.push('sale-9');
    expect(failed(input)).toEqual([
      ['sales final', 'pending: sale-2'],
      ['outbox published', 'unpublished: products:e-stuck'],
      ['no dead letters', 'dead-lettered: products@transactions.sale.dlq:e-bad'],
      ['answered 2xx, kept', 'sale sale-9'],
    ]);
  });

  test('a cancelled sale whose stock products still holds, and a notification sent twice', () => {
    const input = balanced();
    input.sales.push({ id: 'sale-3', status: 'cancelled' });
    input.reservations.push({ saleId: 'sale-3', status: 'reserved' });
    input.movements.push({
      productId: product,
      delta: -2,
      balanceAfter: 5,
      reason: 'sale_reservation',
      reference: 'sale-3',
    });
    input.stock[0]!.quantity = 5;
    input.notifications.push({ sourceId: 'e-x', recipientId: 'u-1', count: 2 });
    expect(failed(input).map(([name]) => name)).toEqual([
      'stock = opening + purchases - sold + returns + adjustments',
      'reservations match sales',
      'ledger: each cause once',
      'notifications once per cause and recipient',
    ]);
    expect(checkBooks(input).appliedTwice).toBe(1);
  });
});
