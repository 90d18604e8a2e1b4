import { describe, expect, it } from '@jest/globals';
import { priceState, relativeTime, scheduleLabel } from './price-schedule';

const now = new Date('2026-11-29T12:00:00Z');
const row = (id: string, effectiveFrom: string) => ({
  id,
  unitLevelId: 'level',
  effectiveFrom,
  createdAt: '2026-11-01T00:00:00Z',
});

describe('price schedule', () => {
  const current = new Set(['b']);

  it('tells scheduled, current and superseded prices apart', () => {
    expect(priceState(row('c', '2026-12-01T08:00:00Z'), current, now)).toBe('scheduled');
    expect(priceState(row('b', '2026-11-20T08:00:00Z'), current, now)).toBe('current');
    expect(priceState(row('a', '2026-11-10T08:00:00Z'), current, now)).toBe('past');
  });

  it('treats a price starting this very moment as in force, not scheduled', () => {
    expect(priceState(row('b', now.toISOString()), current, now)).toBe('current');
  });

  it('says how far away a start is in the largest whole unit', () => {
    expect(relativeTime('2026-12-02T13:00:00Z', now, 'en')).toBe('in 3 days');
    expect(relativeTime('2026-11-29T14:59:00Z', now, 'en')).toBe('in 2 hours');
    expect(relativeTime('2026-11-29T12:01:30Z', now, 'en')).toBe('in 1 minute');
    expect(relativeTime('2026-11-29T12:00:10Z', now, 'en')).toBe('now');
    expect(relativeTime('2026-11-29T07:00:00Z', now, 'en')).toBe('5 hours ago');
  });

  it('labels each row by its state', () => {
    expect(scheduleLabel(row('c', '2026-12-01T08:00:00Z'), current, now, 'en-GB', 'UTC')).toBe(
      'Takes effect 1 Dec 2026, 08:00 (tomorrow)',
    );
    expect(scheduleLabel(row('b', '2026-11-20T08:00:00Z'), current, now, 'en-GB', 'UTC')).toBe(
      'In force since 20 Nov 2026, 08:00',
    );
    expect(scheduleLabel(row('a', '2026-11-10T08:00:00Z'), current, now, 'en-GB', 'UTC')).toBe(
      'From 10 Nov 2026, 08:00, superseded',
    );
  });
});
