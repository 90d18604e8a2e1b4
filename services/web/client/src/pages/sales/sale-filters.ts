// The sales history's filters live in the query string (a reload or a shared link shows the same
// list). What cannot be read there falls back to no filter instead of a request the server refuses.
import type { PaymentMethod, SaleQuery, SaleStatus } from './api-types';
import { paymentMethods, saleStatuses } from './api-types';

export interface SaleFilters {
  status: SaleStatus | '';
  paymentMethod: PaymentMethod | '';
  /** Days as YYYY-MM-DD in the reader's time zone; '' for open. */
  from: string;
  to: string;
  sort: (typeof saleSorts)[number];
  page: number;
}

export const saleSorts = ['-createdAt', 'createdAt', '-totalMinor', 'totalMinor', 'status', '-status'] as const;
export const pageSize = 20;
const maxPage = 100_000;

const isDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00`));
const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | '' =>
  raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : '';

export function readSaleFilters(params: URLSearchParams): SaleFilters {
  const page = params.get('page');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    status: oneOf(saleStatuses, params.get('status')),
    paymentMethod: oneOf(paymentMethods, params.get('paymentMethod')),
    from: isDay(from) ? from : '',
    to: isDay(to) ? to : '',
    sort: oneOf(saleSorts, params.get('sort')) || '-createdAt',
    page: page !== null && /^\d{1,6}$/.test(page) && Number(page) >= 1 && Number(page) <= maxPage ? Number(page) : 1,
  };
}

export function writeSaleFilters(filters: SaleFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.paymentMethod) params.set('paymentMethod', filters.paymentMethod);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.sort !== '-createdAt') params.set('sort', filters.sort);
  if (filters.page !== 1) params.set('page', String(filters.page));
  return params;
}

/** Midnight starting a local day, as the instant the API takes. */
const startOf = (day: string) => new Date(`${day}T00:00:00`);

/** The list request: days become instants in the reader's zone; `to` includes its whole day. */
export function saleQueryOf(filters: SaleFilters): SaleQuery {
  const query: SaleQuery = { page: filters.page, pageSize, sort: filters.sort };
  if (filters.status) query.status = filters.status;
  if (filters.paymentMethod) query.paymentMethod = filters.paymentMethod;
  if (filters.from) query.from = startOf(filters.from).toISOString();
  if (filters.to) {
    const end = startOf(filters.to);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return query;
}
