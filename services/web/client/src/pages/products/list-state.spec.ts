import { describe, expect, it } from '@jest/globals';
import { changeList, cleanSearch, lastPage, listQuery, readListState, sortsOf, writeListState } from './list-state';

const spec = { sorts: sortsOf(['name', 'createdAt']), defaultSort: 'name' };

describe('list state in the query string', () => {
  it('reads a plain URL as the first page with the default sort and page size', () => {
    expect(readListState(new URLSearchParams(''), spec)).toEqual({ page: 1, pageSize: 20, sort: 'name', q: '' });
  });

  it('reads what it wrote, so a reload shows the same page', () => {
    const state = { page: 3, pageSize: 50, sort: '-createdAt', q: 'milk' };
    const params = writeListState(state, spec);
    expect(params.toString()).toBe('q=milk&sort=-createdAt&pageSize=50&page=3');
    expect(readListState(new URLSearchParams(params.toString()), spec)).toEqual(state);
  });

  it('leaves defaults out of the URL', () => {
    expect(writeListState({ page: 1, pageSize: 20, sort: 'name', q: '' }, spec).toString()).toBe('');
  });

  it('falls back to defaults for values the server would refuse', () => {
    const params = new URLSearchParams('page=0&pageSize=1000&sort=price&q=%00');
    expect(readListState(params, spec)).toEqual({ page: 1, pageSize: 20, sort: 'name', q: '' });
    expect(readListState(new URLSearchParams('page=abc&pageSize=-5'), spec)).toMatchObject({ page: 1, pageSize: 20 });
    expect(readListState(new URLSearchParams('page=100001'), spec).page).toBe(1);
    expect(readListState(new URLSearchParams('pageSize=7'), spec).pageSize).toBe(20);
  });

  it('bounds the search text like the server: no control characters, trimmed, 100 characters at most', () => {
    expect(cleanSearch('  a\tb\u0000c  ')).toBe('a b c');
    expect(cleanSearch('x'.repeat(150))).toHaveLength(100);
  });

  it('sends q only when there is something to search for', () => {
    expect(listQuery({ page: 2, pageSize: 10, sort: 'name', q: '' })).toEqual({ page: 2, pageSize: 10, sort: 'name' });
    expect(listQuery({ page: 1, pageSize: 10, sort: 'name', q: 'tea' })).toMatchObject({ q: 'tea' });
  });

  it('goes back to the first page when anything but the page changes', () => {
    const state = { page: 4, pageSize: 20, sort: 'name', q: '' };
    expect(changeList(state, { q: 'tea' })).toEqual({ ...state, q: 'tea', page: 1 });
    expect(changeList(state, { page: 5 })).toEqual({ ...state, page: 5 });
  });

  it('counts the last page, one for an empty list', () => {
    expect(lastPage(0, 20)).toBe(1);
    expect(lastPage(20, 20)).toBe(1);
    expect(lastPage(21, 20)).toBe(2);
  });
});
