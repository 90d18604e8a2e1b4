// Plain formatting helpers (no React), so logic that needs them can be unit tested.

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, format);
  }
  return format;
}

/** How many minor units a currency's major unit has (EUR 2 → 100, JPY 0 → 1). */
export function minorDigits(currency: string): number {
  return currencyFormat(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units (cents) as the reader's locale writes it: formatMoney(1999, 'EUR') → "€19.99". */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  return currencyFormat(currency, locale).format(minor / 10 ** minorDigits(currency));
}

/** A major-unit amount typed by a person ("19.99", "19,99") in minor units, or undefined when it is not one. */
export function parseMoney(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const normalised = text.trim().replace(',', '.');
  const pattern = digits === 0 ? /^-?\d{1,12}$/ : new RegExp(`^-?\\d{1,12}(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(normalised)) return undefined;
  return Math.round(Number(normalised) * 10 ** digits);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO timestamp in the reader's locale and time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
