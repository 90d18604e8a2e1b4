import { describe, expect, it } from '@jest/globals';
import { dayIn, startOfLocalDay, todayFigures, type DailyReport } from './today';

describe("the dashboard's today", () => {
  it('is the calendar day in the given time zone', () => {
    const lateEvening = new Date('2026-11-29T23:30:00Z');
    expect(dayIn(lateEvening, 'UTC')).toBe('2026-11-29');
    expect(dayIn(lateEvening, 'Europe/Berlin')).toBe('2026-11-30');
    expect(dayIn(lateEvening, 'America/New_York')).toBe('2026-11-29');
  });

  it("reads today's row of the report", () => {
    const report: DailyReport = {
      currency: 'EUR',
      days: [
        {
          day: '2026-11-28',
          count: 9,
          revenueMinor: 9999,
          refundedMinor: 0,
          byStatus: { confirmed: 9 },
        },
        {
          day: '2026-11-29',
          count: 7,
          revenueMinor: 4250,
          refundedMinor: 300,
          byStatus: { pending: 1, confirmed: 4, rejected: 1, cancelled: 1 },
        },
      ],
    };
    expect(todayFigures(report, '2026-11-29')).toEqual({
      confirmed: 4,
      recorded: 7,
      pending: 1,
      rejected: 1,
      revenueMinor: 4250,
      currency: 'EUR',
    });
  });

  it('shows zeros for a day without sales', () => {
    expect(todayFigures({ currency: 'EUR', days: [] }, '2026-11-29')).toEqual({
      confirmed: 0,
      recorded: 0,
      pending: 0,
      rejected: 0,
      revenueMinor: 0,
      currency: 'EUR',
    });
  });

  it("starts a cashier's day at the browser's local midnight", () => {
    const afternoon = new Date(2026, 10, 29, 15, 45);
    expect(startOfLocalDay(afternoon)).toBe(new Date(2026, 10, 29, 0, 0).toISOString());
  });
});
