// Choosing a category or a unit. A shop may have thousands of categories, so the select lists
// the first matches by name and a search box beside it narrows them on the server; the select
// always holds a real id. Typing a name exactly picks it.
import { useEffect, useId, useRef, useState } from 'react';
import { call, products } from '../../api/client';
import { useResource } from '../../ui';
import { cleanSearch } from './list-state';

export type RefKind = 'categories' | 'units';

interface RefItem {
  id: string;
  name: string;
  abbreviation?: string;
}

const shown = 50;
const typingPause = 250;

async function search(kind: RefKind, q: string): Promise<{ items: RefItem[]; total: number }> {
  const query = { page: 1, pageSize: shown, sort: 'name' as const, ...(q === '' ? {} : { q }) };
  return kind === 'categories'
    ? call(products.GET('/api/v1/categories', { params: { query } }))
    : call(products.GET('/api/v1/units', { params: { query } }));
}

export async function fetchOne(kind: RefKind, id: string): Promise<RefItem> {
  const path = { params: { path: { id } } };
  return kind === 'categories'
    ? call(products.GET('/api/v1/categories/{id}', path))
    : call(products.GET('/api/v1/units/{id}', path));
}

const optionText = (item: RefItem) => (item.abbreviation ? `${item.name} (${item.abbreviation})` : item.name);

export function RefSelect({
  kind,
  label,
  findLabel,
  emptyLabel,
  value,
  onChange,
  exclude,
  hint,
  error,
}: {
  kind: RefKind;
  /** The select's label, e.g. "Category". */
  label: string;
  /** The search box's label, e.g. "Find category". */
  findLabel: string;
  /** The option for nothing chosen, e.g. "All categories" or "Choose a category…". */
  emptyLabel: string;
  value: string;
  onChange(id: string): void;
  /** Ids that may not be chosen (units a product already has a level in). */
  exclude?: ReadonlySet<string>;
  hint?: string;
  error?: string | undefined;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(cleanSearch(text)), typingPause);
    return () => clearTimeout(timer);
  }, [text]);

  const matches = useResource(() => search(kind, q), [kind, q]);
  const items = (matches.data?.items ?? []).filter((item) => !exclude?.has(item.id));
  const listed = items.some((item) => item.id === value);
  const chosen = useResource(
    () => (value === '' || listed ? Promise.resolve(undefined) : fetchOne(kind, value)),
    [kind, value, listed],
  );

  // A name typed exactly picks that item, so a keyboard user need not leave the search box; once
  // per search text, so choosing "none" afterwards sticks.
  const pickedFor = useRef('');
  useEffect(() => {
    if (value !== '' || q === '' || pickedFor.current === q) return;
    const exact = items.find((item) => item.name.toLowerCase() === q.toLowerCase());
    if (exact) {
      pickedFor.current = q;
      onChange(exact.id);
    }
  }, [items, q, value, onChange]);

  const total = matches.data?.total ?? 0;
  const more = total > shown ? `${shown} of ${total} shown; search to narrow.` : undefined;
  const described = [hint || more ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');

  return (
    <div className={error ? 'field ref-select invalid' : 'field ref-select'}>
      <label htmlFor={id}>{label}</label>
      <div className="ref-row">
        <input
          type="search"
          aria-label={findLabel}
          placeholder="Search…"
          value={text}
          maxLength={100}
          onChange={(event) => setText(event.target.value)}
        />
        <select
          id={id}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          aria-busy={matches.loading}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">{emptyLabel}</option>
          {chosen.data && !listed ? <option value={chosen.data.id}>{optionText(chosen.data)}</option> : null}
          {items.map((item) => (
            <option key={item.id} value={item.id}>
              {optionText(item)}
            </option>
          ))}
        </select>
      </div>
      {hint || more ? (
        <small id={`${id}-hint`} className="hint">
          {[hint, more].filter(Boolean).join(' ')}
        </small>
      ) : null}
      {matches.error ? (
        <small className="field-error" role="alert">
          The list could not be loaded; try again.
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/**
 * The names of the categories or units a list refers to, fetched one by one for the distinct ids
 * on the page (a few requests) rather than whole lists that may run to thousands.
 */
export function useNames(kind: RefKind, ids: readonly string[]): Map<string, RefItem> {
  const key = [...new Set(ids)].sort().join(',');
  const names = useResource(async () => {
    const items = await Promise.all(
      key === '' ? [] : key.split(',').map((id) => fetchOne(kind, id).catch(() => undefined)),
    );
    return new Map(items.flatMap((item) => (item ? [[item.id, item] as const] : [])));
  }, [kind, key]);
  return names.data ?? new Map();
}
