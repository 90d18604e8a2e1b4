import { beforeEach, describe, expect, test } from '@jest/globals';
import { colaWithBoxes, correlationId, fakeDeps } from './fakes';

let fake: ReturnType<typeof fakeDeps>;
let productId: string;
let pieceLevel: string;
let boxLevel: string;

/** A cola per piece and per box of 24 with 50 pieces, and sale-1 (a box and 2 pieces) confirmed: 24 left. */
beforeEach(async () => {
  fake = fakeDeps();
  ({ productId, pieceLevel, boxLevel } = await colaWithBoxes(fake));
  const { useCases } = fake;
  await useCases.reserveStock({
    correlationId,
    saleId: 'sale-1',
    lines: [
      { productId, unitLevelId: boxLevel, quantity: 1 },
      { productId, unitLevelId: pieceLevel, quantity: 2 },
    ],
  });
  await useCases.confirmReservation({ correlationId, saleId: 'sale-1' });
  fake.uow.state.events = [];
});

const stock = () => fake.uow.state.stock.get(productId)?.quantity;
const giveBack = (returnId: string, lines: Array<[level: string, quantity: number]>, saleId = 'sale-1') =>
  fake.useCases.returnSale({
    correlationId,
    saleId,
    returnId,
    lines: lines.map(([unitLevelId, quantity]) => ({ productId, unitLevelId, quantity })),
  });

describe('return sale', () => {
  test('puts the returned base quantities back once, with a ledger movement and stock changed', async () => {
    expect(
      await giveBack('return-1', [
        [boxLevel, 1],
        [pieceLevel, 1],
      ]),
    ).toEqual({ kind: 'returned' });
    expect(stock()).toBe(49);
    expect(fake.uow.ledgerSum(productId)).toBe(stock());
    expect(fake.uow.state.movements.at(-1)).toMatchObject({ delta: 25, reason: 'sale_return', reference: 'sale-1' });
    expect(fake.uow.eventsOf('StockChanged').map((e) => [e.delta, e.quantity, e.reserved, e.reason])).toEqual([
      [25, 49, 0, 'sale_return'],
    ]);

    expect(
      await giveBack('return-1', [
        [boxLevel, 1],
        [pieceLevel, 1],
      ]),
    ).toEqual({ kind: 'already-returned' });
    expect(stock()).toBe(49);
    expect(fake.uow.eventsOf('StockChanged')).toHaveLength(1);
  });

  test('returns of one sale never give back more than it took, counting earlier returns', async () => {
    expect(await giveBack('return-1', [[pieceLevel, 1]])).toEqual({ kind: 'returned' });
    expect(await giveBack('return-2', [[pieceLevel, 1]])).toEqual({ kind: 'returned' });
    expect(await giveBack('return-3', [[pieceLevel, 1]])).toEqual({
      kind: 'unusable',
      reason: `product ${productId} in unit level ${pieceLevel}, more than the sale took`,
    });
    expect(await giveBack('return-4', [[boxLevel, 2]])).toMatchObject({ kind: 'unusable' });
    expect(stock()).toBe(26);
    expect(fake.uow.state.returns.size).toBe(2);
  });

  test('a product or unit level the sale did not take is refused and changes nothing', async () => {
    await fake.useCases.reserveStock({
      correlationId,
      saleId: 'sale-2',
      lines: [{ productId, unitLevelId: boxLevel, quantity: 1 }],
    });
    await fake.useCases.confirmReservation({ correlationId, saleId: 'sale-2' });
    expect(await giveBack('return-1', [[pieceLevel, 1]], 'sale-2')).toEqual({
      kind: 'unusable',
      reason: `product ${productId} in unit level ${pieceLevel}, which the sale did not take`,
    });
    const stranger = await fake.useCases.returnSale({
      correlationId,
      saleId: 'sale-1',
      returnId: 'return-2',
      lines: [{ productId: 'another-product', unitLevelId: boxLevel, quantity: 1 }],
    });
    expect(stranger).toMatchObject({ kind: 'unusable' });
    expect(await giveBack('return-3', [])).toEqual({ kind: 'unusable', reason: 'the return has no lines' });
    expect(stock()).toBe(0);
    expect(fake.uow.state.returns.size).toBe(0);
    expect(fake.uow.eventsOf('StockChanged').filter((e) => e.reason === 'sale_return')).toHaveLength(0);
  });

  test('only a confirmed sale has goods to return', async () => {
    await fake.useCases.reserveStock({
      correlationId,
      saleId: 'sale-2',
      lines: [{ productId, unitLevelId: pieceLevel, quantity: 1 }],
    });
    expect(await giveBack('return-1', [[pieceLevel, 1]], 'sale-2')).toEqual({
      kind: 'unusable',
      reason: 'sale sale-2 has no confirmed reservation',
    });
    expect(await giveBack('return-2', [[pieceLevel, 1]], 'sale-never-seen')).toMatchObject({ kind: 'unusable' });
    await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-1' });
    expect(await giveBack('return-3', [[pieceLevel, 1]])).toEqual({ kind: 'already-released' });
    expect(stock()).toBe(49);
  });

  test('cancelling a sale after a return releases only what did not come back', async () => {
    await giveBack('return-1', [[boxLevel, 1]]);
    expect(await fake.useCases.releaseReservation({ correlationId, saleId: 'sale-1' })).toEqual({ kind: 'released' });
    expect(stock()).toBe(50);
    expect(fake.uow.ledgerSum(productId)).toBe(50);
  });
});
