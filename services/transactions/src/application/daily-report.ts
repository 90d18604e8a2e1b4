import type { DailyReportQuery, DailyRow, TransactionsDeps } from './ports';

/** Sales per day in a time zone, for the dashboard. */
export function dailyReport(deps: Pick<TransactionsDeps, 'uow' | 'settings'>) {
  return async (command: {
    query: DailyReportQuery;
  }): Promise<{ currency: string; timeZone: string; days: DailyRow[] }> => ({
    currency: deps.settings.currency,
    timeZone: command.query.timeZone,
    days: await deps.uow.read((reads) => reads.reports.daily(command.query)),
  });
}
