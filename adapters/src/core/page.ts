/** A page of a list, as every list endpoint answers it. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A list request after validation at the edge: `sort` is one of the list's own keys. */
export interface ListQuery<SortKey extends string = string> {
  page: number;
  pageSize: number;
  sort: SortKey;
  descending: boolean;
  /** Free-text search, already bounded and free of control characters. */
  q?: string;
}

export const mapPage = <T, U>(page: Page<T>, map: (item: T) => U): Page<U> => ({ ...page, items: page.items.map(map) });
