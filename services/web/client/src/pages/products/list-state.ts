// A list page's state lives in the query string, so a reload or a shared link shows the same
// page. Anything unreadable there (a hand-edited URL) falls back to the default instead of
// sending the server a request it would refuse.

export interface ListState {
  page: number;
  pageSize: number;
  /** `key` or `-key` for descending, one of the list's sorts. */
  sort: string;
  /** Free-text search; '' for none. */
  q: string;
}

export interface ListSpec {
  sorts: readonly string[];
  defaultSort: string;
  pageSizes?: readonly number[];
}

export const pageSizes = [10, 20, 50, 100] as const;
const defaultPageSize = 20;
/** The server's bounds: page ≤ 100 000, q ≤ 100 characters without control characters. */
const maxPage = 100_000;
const maxSearch = 100;
const controlCharacters = /\p{Cc}/gu;

/** Every accepted sort of a list: each key ascending and descending. */
export const sortsOf = (keys: readonly string[]) => keys.flatMap((key) => [key, `-${key}`]);

function wholeIn(raw: string | null, min: number, max: number): number | undefined {
  if (raw === null || !/^\d{1,9}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

/** Search text the server accepts: trimmed, no control characters, at most 100 characters. */
export const cleanSearch = (raw: string) => raw.replace(controlCharacters, ' ').trim().slice(0, maxSearch);

export function readListState(params: URLSearchParams, spec: ListSpec): ListState {
  const sizes = spec.pageSizes ?? pageSizes;
  const pageSize = wholeIn(params.get('pageSize'), 1, 100);
  const sort = params.get('sort');
  return {
    page: wholeIn(params.get('page'), 1, maxPage) ?? 1,
    pageSize: pageSize !== undefined && sizes.includes(pageSize) ? pageSize : defaultPageSize,
    sort: sort !== null && spec.sorts.includes(sort) ? sort : spec.defaultSort,
    q: cleanSearch(params.get('q') ?? ''),
  };
}

/** The query string of a state: defaults are left out, so a plain list has a plain URL. */
export function writeListState(state: ListState, spec: ListSpec, params = new URLSearchParams()): URLSearchParams {
  if (state.q !== '') params.set('q', state.q);
  if (state.sort !== spec.defaultSort) params.set('sort', state.sort);
  if (state.pageSize !== defaultPageSize) params.set('pageSize', String(state.pageSize));
  if (state.page !== 1) params.set('page', String(state.page));
  return params;
}

/** What the list endpoint takes: page, pageSize, sort and q (left out when empty). */
export function listQuery(state: ListState): { page: number; pageSize: number; sort: string; q?: string } {
  return {
    page: state.page,
    pageSize: state.pageSize,
    sort: state.sort,
    ...(state.q === '' ? {} : { q: state.q }),
  };
}

/** The last page that has items (1 for an empty list). */
export const lastPage = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** A changed filter, sort, search or page size starts again at page 1; only paging keeps the rest. */
export function changeList<T extends ListState>(state: T, change: Partial<T>): T {
  return { ...state, ...change, page: change.page ?? 1 };
}
