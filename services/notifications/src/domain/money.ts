import type { Money } from './events';

/** "12.50 EUR": minor units shown with the currency's own number of decimals. */
export function formatMoney({ minor, currency }: Money): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown currency code still shows its amount, with the common two decimals.
  }
  const sign = minor < 0 ? '-' : '';
  const units = Math.abs(minor) / 10 ** digits;
  return `${sign}${units.toFixed(digits)} ${currency}`;
}
