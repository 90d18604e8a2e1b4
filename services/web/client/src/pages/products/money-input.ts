// Prices are typed as decimal amounts ("12.50") and sent as whole minor units (1250): the
// conversion is done on the digits, never through floating point, so 0.29 stays 29 cents, and
// each mistake gets its own message (the kit's parseMoney only says whether it is an amount).
import { minorDigits } from '../../ui/format';
import { largestWhole } from './rules';

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

/**
 * An amount as people type it: digits with an optional decimal point or comma
 * ("12", "12.5", "12,50"); spaces and apostrophes between digit groups are ignored.
 */
export function parseMoney(raw: string, currency: string): MoneyParse {
  const digits = minorDigits(currency);
  const text = raw.trim().replace(/[\s'’]/g, '');
  if (text === '') return { ok: false, message: 'Required.' };
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text);
  if (!match) return { ok: false, message: 'Must be an amount such as 12.50, zero or more.' };
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return { ok: false, message: digits === 0 ? 'No decimals in this currency.' : `At most ${digits} decimals.` };
  }
  if (whole.length > 16) return { ok: false, message: 'Too large.' };
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (minor > largestWhole) return { ok: false, message: 'Too large.' };
  return { ok: true, minor };
}

/** Minor units as an input's text ("12.50"), the inverse of parseMoney. */
export function moneyInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
