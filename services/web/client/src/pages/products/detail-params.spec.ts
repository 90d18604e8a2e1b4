import { describe, expect, it } from '@jest/globals';
import { readDetailParams, withDetailChange } from './detail-params';

const level = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe("the product page's query string", () => {
  it('opens the first pages of the ledger and the price history, unfiltered, by default', () => {
    expect(readDetailParams(new URLSearchParams(''))).toEqual({
      ledgerPage: 1,
      ledgerReason: '',
      pricesPage: 1,
      pricesLevel: '',
    });
  });

  it('keeps what it wrote and leaves defaults out', () => {
    const params = withDetailChange(new URLSearchParams(''), { ledgerReason: 'purchase', pricesLevel: level });
    expect(params.toString()).toBe(`ledgerReason=purchase&pricesLevel=${level}`);
    const paged = withDetailChange(params, { ledgerPage: 3 });
    expect(readDetailParams(paged)).toEqual({
      ledgerPage: 3,
      ledgerReason: 'purchase',
      pricesPage: 1,
      pricesLevel: level,
    });
  });

  it('starts a list again at page 1 when its filter changes, and leaves the other list alone', () => {
    const params = new URLSearchParams('ledgerPage=4&pricesPage=2');
    expect(readDetailParams(withDetailChange(params, { ledgerReason: 'sale_return' }))).toMatchObject({
      ledgerPage: 1,
      pricesPage: 2,
    });
  });

  it('ignores values the API would refuse', () => {
    expect(
      readDetailParams(new URLSearchParams('ledgerPage=0&ledgerReason=theft&pricesPage=x&pricesLevel=abc')),
    ).toEqual({ ledgerPage: 1, ledgerReason: '', pricesPage: 1, pricesLevel: '' });
  });
});
