// The product page's own query string: which page of the stock ledger and of the price history
// is shown, and their filters, so a reload or a shared link opens the same view.

export const movementReasons = [
  'purchase',
  'sale_reservation',
  'reservation_release',
  'sale_return',
  'manual_adjustment',
] as const;
export type MovementReasonFilter = (typeof movementReasons)[number] | '';

export interface DetailParams {
  ledgerPage: number;
  ledgerReason: MovementReasonFilter;
  pricesPage: number;
  /** A unit level id, '' for every level. */
  pricesLevel: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pageOf = (raw: string | null) => (raw !== null && /^[1-9]\d{0,4}$/.test(raw) ? Number(raw) : 1);

export function readDetailParams(params: URLSearchParams): DetailParams {
  const reason = params.get('ledgerReason') ?? '';
  const level = params.get('pricesLevel') ?? '';
  return {
    ledgerPage: pageOf(params.get('ledgerPage')),
    ledgerReason: (movementReasons as readonly string[]).includes(reason) ? (reason as MovementReasonFilter) : '',
    pricesPage: pageOf(params.get('pricesPage')),
    pricesLevel: uuid.test(level) ? level.toLowerCase() : '',
  };
}

/** The query string with one part changed; a changed filter starts its list again at page 1. */
export function withDetailChange(params: URLSearchParams, change: Partial<DetailParams>): URLSearchParams {
  const next = { ...readDetailParams(params), ...change };
  if ('ledgerReason' in change && !('ledgerPage' in change)) next.ledgerPage = 1;
  if ('pricesLevel' in change && !('pricesPage' in change)) next.pricesPage = 1;
  const out = new URLSearchParams(params);
  const put = (name: keyof DetailParams, value: string, fallback: string) =>
    value === fallback ? out.delete(name) : out.set(name, value);
  put('ledgerPage', String(next.ledgerPage), '1');
  put('ledgerReason', next.ledgerReason, '');
  put('pricesPage', String(next.pricesPage), '1');
  put('pricesLevel', next.pricesLevel, '');
  return out;
}
