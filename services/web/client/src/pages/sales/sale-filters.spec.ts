import { describe, expect, test } from '@jest/globals';
import { readSaleFilters, saleQueryOf, writeSaleFilters } from './sale-filters';

describe('the sales filters in the query string', () => {
  test('round-trip, leaving defaults out of the URL', () => {
    const params = new URLSearchParams(
      'status=rejected&paymentMethod=cash&from=2026-11-01&to=2026-11-29&sort=totalMinor&page=3',
    );
    const filters = readSaleFilters(params);
    expect(filters).toEqual({
      status: 'rejected',
      paymentMethod: 'cash',
      from: '2026-11-01',
      to: '2026-11-29',
      sort: 'totalMinor',
      page: 3,
    });
    expect(writeSaleFilters(filters).toString()).toBe(params.toString());
    expect(writeSaleFilters(readSaleFilters(new URLSearchParams())).toString()).toBe('');
  });

  test('anything unreadable falls back to no filter', () => {
    expect(
      readSaleFilters(
        new URLSearchParams('status=lost&paymentMethod=gold&from=yesterday&to=2026-13-45&sort=hack&page=0'),
      ),
    ).toEqual({ status: '', paymentMethod: '', from: '', to: '', sort: '-createdAt', page: 1 });
    expect(readSaleFilters(new URLSearchParams('page=99999999')).page).toBe(1);
  });

  test('the day range covers the whole of the last day, in local time', () => {
    const query = saleQueryOf(readSaleFilters(new URLSearchParams('from=2026-11-01&to=2026-11-01')));
    expect(new Date(query.to!).getTime() - new Date(query.from!).getTime()).toBe(24 * 3600_000);
    expect(new Date(query.from!).getHours()).toBe(0);
  });
});
