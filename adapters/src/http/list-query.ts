// The query string of every list endpoint: bounded paging, a sort among the list's own keys and
// a bounded free-text search, validated once at the edge into a ListQuery.
import { z } from 'zod';
import type { ListQuery } from '../core/page';

/** Text typed by people: no control characters (NUL breaks Postgres), bounded. */
export const searchText = (max = 100) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

export interface ListQueryOptions<K extends string> {
  sortKeys: readonly K[];
  defaultSort: K | `-${K}`;
  maxPageSize?: number;
}

/**
 * `page`, `pageSize`, `sort` (`key` or `-key`, one of `sortKeys`) and `q`, plus the list's own
 * filters; the result is a ListQuery with the filters beside it.
 */
export function listQuerySchema<K extends string, F extends z.ZodRawShape = z.ZodRawShape>(
  options: ListQueryOptions<K>,
  filters?: F,
) {
  const sorts = options.sortKeys.flatMap((key) => [key, `-${key}`]) as [string, ...string[]];
  return z
    .strictObject({
      page: z.coerce.number().int().min(1).max(100_000).default(1),
      pageSize: z.coerce
        .number()
        .int()
        .min(1)
        .max(options.maxPageSize ?? 100)
        .default(20),
      sort: z.enum(sorts).default(options.defaultSort).describe('A field, prefixed with - for descending.'),
      q: searchText().optional(),
      ...(filters ?? ({} as F)),
    })
    .transform((input) => {
      const { sort, ...rest } = input as { sort: string };
      return {
        ...rest,
        sort: sort.replace(/^-/, '') as K,
        descending: sort.startsWith('-'),
      } as unknown as ListQuery<K> & Omit<z.infer<z.ZodObject<F>>, keyof ListQuery>;
    });
}
