// "Today" on the dashboard is the browser's calendar day in its own time zone; the daily report
// is asked for that day in that zone, so a sale at 23:30 local time counts on the right day.

/** The same pattern the transactions API accepts for a report's time zone. */
const zonePattern = /^[A-Za-z][A-Za-z0-9_+/-]*$/;

/** The browser's IANA time zone, or UTC when it has none the server would accept. */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return typeof zone === 'string' && zone.length <= 64 && zonePattern.test(zone) ? zone : 'UTC';
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayIn(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export interface DailyReport {
  currency: string;
  days: Array<{
    day: string;
    count: number;
    revenueMinor: number;
    refundedMinor: number;
    byStatus: Record<string, number>;
  }>;
}

export interface TodayFigures {
  /** Sales confirmed today. */
  confirmed: number;
  /** Every sale recorded today, whatever its state. */
  recorded: number;
  pending: number;
  rejected: number;
  /** Confirmed sales net of refunds, minor units. */
  revenueMinor: number;
  currency: string;
}

/** One day's figures from the report; a day without sales is all zeros. */
export function todayFigures(report: DailyReport, day: string): TodayFigures {
  const row = report.days.find((d) => d.day === day);
  return {
    confirmed: row?.byStatus['confirmed'] ?? 0,
    recorded: row?.count ?? 0,
    pending: row?.byStatus['pending'] ?? 0,
    rejected: row?.byStatus['rejected'] ?? 0,
    revenueMinor: row?.revenueMinor ?? 0,
    currency: report.currency,
  };
}

/** Midnight at the start of the browser's calendar day, as an instant: where "today's sales" begin. */
export function startOfLocalDay(now: Date): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}
