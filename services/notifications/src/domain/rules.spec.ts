import { describe, expect, test } from '@jest/globals';
import type { NotifiableEvent } from './events';
import { deliveriesFor } from './rules';
import { alertContent, alertSource, type Alert } from './alert';

const at = { eventId: 'e-1', occurredAt: new Date('2026-11-29T10:00:00Z') };
const eur = (minor: number) => ({ minor, currency: 'EUR' });

describe('rules: which event notifies whom', () => {
  test('a registration welcomes the user and tells the other admins', () => {
    const out = deliveriesFor({
      ...at,
      type: 'UserRegistered',
      userId: 'u1',
      username: 'carol',
      fullName: 'Carol C',
      role: 'cashier',
      active: true,
    });
    expect(out.map((d) => [d.content.kind, d.audience])).toEqual([
      ['user.welcome', { userId: 'u1' }],
      ['user.registered', { roles: ['admin'], except: 'u1' }],
    ]);
    expect(out[0]!.content.link).toEqual({ resource: 'users', id: 'u1' });
  });

  test('low stock goes to managers and admins and names the product, stock and threshold', () => {
    const [only, ...rest] = deliveriesFor({
      ...at,
      type: 'LowStock',
      productId: 'p1',
      sku: 'COLA',
      name: 'Cola',
      available: 3,
      threshold: 10,
    });
    expect(rest).toEqual([]);
    expect(only!.audience).toEqual({ roles: ['manager', 'admin'] });
    expect(only!.content).toEqual({
      kind: 'stock.low',
      title: 'Low stock: Cola',
      text: 'COLA: 3 left, threshold 10 (base units).',
      link: { resource: 'products', id: 'p1' },
    });
  });

  test('a rejected sale tells its cashier, listing the shortages', () => {
    const [only] = deliveriesFor({
      ...at,
      type: 'SaleRejected',
      saleId: 's1',
      cashierId: 'c1',
      total: eur(1250),
      lineCount: 2,
      reason: 'insufficient-stock',
      shortages: [{ productId: 'p1', requested: 5, available: 2 }],
    });
    expect(only!.audience).toEqual({ userId: 'c1' });
    expect(only!.content.text).toBe(
      'Your sale of 12.50 EUR was rejected (insufficient-stock): product p1: 5 requested, 2 available.',
    );
  });

  test("money is shown with the currency's own decimals", () => {
    const [yen] = deliveriesFor({
      ...at,
      type: 'PriceChanged',
      productId: 'p',
      unitLevelId: 'l',
      previous: null,
      price: { minor: 500, currency: 'JPY' },
    });
    expect(yen!.content.title).toBe('Price changed to 500 JPY');
  });

  test('events without a rule notify nobody', () => {
    const quiet: NotifiableEvent[] = [
      { ...at, type: 'UserUpdated', userId: 'u', username: 'x', role: 'admin', active: true },
      { ...at, type: 'UserDeleted', userId: 'u', username: 'x' },
    ];
    for (const event of quiet) expect(deliveriesFor(event)).toEqual([]);
  });

  test('text from other services is cut to what a notification holds, without control characters', () => {
    const [only] = deliveriesFor({
      ...at,
      type: 'ProductCreated',
      productId: 'p',
      sku: 'S',
      name: `${'n'.repeat(500)}\u0000`,
    });
    expect(only!.content.title.length).toBe(120);
    expect(only!.content.title.endsWith('…')).toBe(true);
    const [clean] = deliveriesFor({ ...at, type: 'ProductDeleted', productId: 'p', sku: 'A\u0007B' });
    expect(clean!.content.title).toBe('Product A B deleted');
  });
});

describe('alerts', () => {
  const alert: Alert = {
    status: 'firing',
    labels: { alertname: 'ConsumerLagHigh' },
    annotations: { description: 'Lag is 5000.' },
    startsAt: '2026-11-29T10:00:00Z',
    endsAt: null,
    fingerprint: 'abc123',
  };
  test('title from the summary or the alert name; "resolved" in the title when resolved', () => {
    expect(alertContent(alert).title).toBe('ConsumerLagHigh');
    expect(alertContent({ ...alert, annotations: { summary: 'Lag high' } }).title).toBe('Lag high');
    const resolved = alertContent({ ...alert, status: 'resolved', endsAt: '2026-11-29T11:00:00Z' });
    expect(resolved.title).toBe('Resolved: ConsumerLagHigh');
    expect(resolved.text).toBe('Lag is 5000. Resolved at 2026-11-29T11:00:00Z.');
  });
  test('one source per (fingerprint, status, start)', () => {
    expect(alertSource(alert)).toBe('alert:abc123:firing:2026-11-29T10:00:00Z');
    expect(alertSource({ ...alert, status: 'resolved' })).not.toBe(alertSource(alert));
  });
});
