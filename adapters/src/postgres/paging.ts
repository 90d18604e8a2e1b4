// Paging for knex list queries: one count and one page, a stable order, literal LIKE text.
import type { Knex } from 'knex';
import type { ListQuery, Page } from '../core/page';

/** `%` and `_` typed by a user are literal text, not wildcards. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Runs `query` as one page: `columns` maps each sort key to its column; ties are broken by
 * `tieBreaker` (the primary key) so pages never overlap.
 */
export async function paged<K extends string, Row, T>(
  query: Knex.QueryBuilder,
  list: ListQuery<K>,
  columns: Record<K, string>,
  map: (row: Row) => T,
  tieBreaker = 'id',
): Promise<Page<T>> {
  const [counted] = await query.clone().clearSelect().clearOrder().count({ total: '*' });
  const rows: Row[] = await query
    .orderBy([
      { column: columns[list.sort], order: list.descending ? 'desc' : 'asc' },
      { column: tieBreaker, order: 'asc' },
    ])
    .limit(list.pageSize)
    .offset((list.page - 1) * list.pageSize);
  return { items: rows.map(map), total: Number(counted?.total ?? 0), page: list.page, pageSize: list.pageSize };
}
