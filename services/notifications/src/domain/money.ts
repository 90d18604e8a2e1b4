import type { Money } from './events';

// Building an Intl.NumberFormat costs tens of microseconds, and every sale confirmed, rejected or
// cancelled formats its total: the decimals are looked up once per currency. Bounded, since the
// codes come from events.
const decimalsByCurrency = new Map<string, number>();
const currenciesRemembered = 300;

function decimalsOf(currency: string): number {
  let digits = decimalsByCurrency.get(currency);
  if (digits !== undefined) return digits;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown currency code still shows its amount, with the common two decimals.
    digits = 2;
  }
  if (decimalsByCurrency.size < currenciesRemembered) decimalsByCurrency.set(currency, digits);
  return digits;
}

/** "12.50 EUR": minor units shown with the currency's own number of decimals. */
export function formatMoney({ minor, currency }: Money): string {
  const digits = decimalsOf(currency);
  const sign = minor < 0 ? '-' : '';
  const units = Math.abs(minor) / 10 ** digits;
  return `${sign}${units.toFixed(digits)} ${currency}`;
}
