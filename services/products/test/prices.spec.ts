import { beforeEach, describe, expect, test } from '@jest/globals';
import { createLogger } from '@tulity/adapters/logger';
import { announceDue } from '../src/adapters/price-announcer';
import { correlationId, fakeDeps, FixedClock } from './fakes';

const clock = new FixedClock();
let fake: ReturnType<typeof fakeDeps>;
let productId: string;
let levelId: string;
const silent = createLogger('products-test');

beforeEach(async () => {
  clock.at = new Date('2026-06-01T10:00:00Z');
  fake = fakeDeps(clock);
  const { useCases } = fake;
  const category = await useCases.createCategory({ correlationId, name: 'Drinks' });
  const piece = await useCases.createUnit({ correlationId, name: 'piece', abbreviation: 'pc' });
  productId = (
    await useCases.createProduct({
      correlationId,
      sku: 'COLA',
      name: 'Cola',
      categoryId: category.id,
      baseUnitId: piece.id,
    })
  ).id;
  levelId = [...fake.uow.state.levels.values()][0]!.id;
});

const price = (sellPrice: number, effectiveFrom?: string, buyPrice = 1) =>
  fake.useCases.setPrice({
    correlationId,
    productId,
    unitLevelId: levelId,
    sellPrice,
    buyPrice,
    currency: 'EUR',
    effectiveFrom: effectiveFrom ? new Date(effectiveFrom) : undefined,
  });
const announced = () => fake.uow.eventsOf('PriceChanged').map((e) => e.price.sellPrice);

describe('price changes', () => {
  test('a price effective at once is announced at once, with the one it replaces', async () => {
    await price(150, undefined, 90);
    clock.at = new Date('2026-06-01T11:00:00Z');
    await price(175, undefined, 95);
    expect(announced()).toEqual([150, 175]);
    const [first, second] = fake.uow.eventsOf('PriceChanged');
    expect(first?.previous).toBeNull();
    expect([second?.previous?.sellPrice, second?.previous?.buyPrice, second?.price.buyPrice]).toEqual([150, 90, 95]);
  });

  test('a scheduled price is announced when it takes effect, once', async () => {
    await price(150);
    const scheduled = await price(199, '2026-07-01T00:00:00Z');
    await fake.useCases.updatePrice({ correlationId, productId, id: scheduled.id, changes: { sellPrice: 189 } });
    expect(announced()).toEqual([150]);
    clock.at = new Date('2026-06-30T00:00:00Z');
    expect((await announceDue(fake.useCases, silent)).announced).toBe(0);
    clock.at = new Date('2026-07-01T00:00:01Z');
    expect((await announceDue(fake.useCases, silent)).announced).toBe(1);
    clock.at = new Date('2026-07-02T00:00:00Z');
    expect((await announceDue(fake.useCases, silent)).announced).toBe(0);
    expect(announced()).toEqual([150, 189]);
  });

  test('a backdated price is history, not a price change', async () => {
    await price(150, '2026-05-01T00:00:00Z');
    await price(120, '2026-01-01T00:00:00Z');
    expect(announced()).toEqual([150]);
  });

  test('an effective price can neither change nor go', async () => {
    const current = await price(150);
    await expect(
      fake.useCases.updatePrice({ correlationId, productId, id: current.id, changes: { sellPrice: 1 } }),
    ).rejects.toMatchObject({
      code: 'PRICE.ALREADY_EFFECTIVE',
    });
    await expect(fake.useCases.deletePrice({ correlationId, productId, id: current.id })).rejects.toMatchObject({
      code: 'PRICE.ALREADY_EFFECTIVE',
    });
  });
});
