import { describe, expect, it } from '@jest/globals';
import { moneyInput, parseMoney } from './money-input';

describe('money typed in a form', () => {
  it('turns decimal amounts into whole minor units without floating-point error', () => {
    expect(parseMoney('12.50', 'EUR')).toEqual({ ok: true, minor: 1250 });
    expect(parseMoney('0.29', 'EUR')).toEqual({ ok: true, minor: 29 });
    expect(parseMoney('1.1', 'EUR')).toEqual({ ok: true, minor: 110 });
    expect(parseMoney('7', 'EUR')).toEqual({ ok: true, minor: 700 });
    expect(parseMoney('3,05', 'EUR')).toEqual({ ok: true, minor: 305 });
    expect(parseMoney(' 1 234.5 ', 'EUR')).toEqual({ ok: true, minor: 123450 });
  });

  it('follows the currency: no decimals in yen, three in dinar', () => {
    expect(parseMoney('500', 'JPY')).toEqual({ ok: true, minor: 500 });
    expect(parseMoney('5.5', 'JPY')).toEqual({ ok: false, message: 'No decimals in this currency.' });
    expect(parseMoney('1.005', 'KWD')).toEqual({ ok: true, minor: 1005 });
  });

  it('refuses what is not an amount of zero or more', () => {
    expect(parseMoney('', 'EUR')).toMatchObject({ ok: false, message: 'Required.' });
    expect(parseMoney('-1', 'EUR')).toMatchObject({ ok: false });
    expect(parseMoney('1e3', 'EUR')).toMatchObject({ ok: false });
    expect(parseMoney('1.234', 'EUR')).toEqual({ ok: false, message: 'At most 2 decimals.' });
    expect(parseMoney('90071992547409.91', 'EUR')).toEqual({ ok: false, message: 'Too large.' });
    expect(parseMoney('90071992547409.90', 'EUR')).toEqual({ ok: true, minor: 9_007_199_254_740_990 });
  });

  it('writes minor units back as the text parseMoney reads', () => {
    expect(moneyInput(1250, 'EUR')).toBe('12.50');
    expect(moneyInput(5, 'EUR')).toBe('0.05');
    expect(moneyInput(0, 'EUR')).toBe('0.00');
    expect(moneyInput(500, 'JPY')).toBe('500');
    for (const minor of [0, 1, 99, 100, 123456789]) {
      expect(parseMoney(moneyInput(minor, 'EUR'), 'EUR')).toEqual({ ok: true, minor });
    }
  });
});
