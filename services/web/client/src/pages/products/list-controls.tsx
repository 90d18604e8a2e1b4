// The controls above a catalogue list: search, sort and page size. Each has a visible label, so
// it is found by name (by people with screen readers, and by the browser tests).
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Empty } from '../../ui';
import { cleanSearch, pageSizes } from './list-state';

/** A search box that searches on Enter or its button, not on every keystroke. */
export function SearchForm({
  label,
  hint,
  value,
  onSearch,
}: {
  label: string;
  hint?: string;
  value: string;
  onSearch(q: string): void;
}) {
  const [text, setText] = useState(value);
  // The URL is the truth: back/forward or a link changes `value`, and the box follows.
  useEffect(() => setText(value), [value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(cleanSearch(text));
  };
  return (
    <form role="search" className="search-form" onSubmit={submit}>
      <label htmlFor="list-search">{label}</label>
      <div className="search-row">
        <input
          id="list-search"
          type="search"
          value={text}
          maxLength={100}
          aria-describedby={hint ? 'list-search-hint' : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit">Search</button>
        {value !== '' ? (
          <button type="button" className="secondary" onClick={() => onSearch('')}>
            Clear search
          </button>
        ) : null}
      </div>
      {hint ? (
        <small id="list-search-hint" className="hint">
          {hint}
        </small>
      ) : null}
    </form>
  );
}

/** A labelled select that applies its choice at once. */
export function SelectControl({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [value: string, label: string]>;
  onChange(value: string): void;
}) {
  return (
    <div className="control">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PageSizeSelect({ value, onChange }: { value: number; onChange(size: number): void }) {
  return (
    <SelectControl
      id="list-page-size"
      label="Per page"
      value={String(value)}
      options={pageSizes.map((size) => [String(size), String(size)] as const)}
      onChange={(size) => onChange(Number(size))}
    />
  );
}

/** An empty list: past its last page (after deletions), or nothing matches, or nothing yet. */
export function ListEmpty({ page, onFirstPage, children }: { page: number; onFirstPage(): void; children: ReactNode }) {
  if (page > 1) {
    return (
      <Empty>
        Nothing on page {page}.{' '}
        <button type="button" className="secondary" onClick={onFirstPage}>
          Go to the first page
        </button>
      </Empty>
    );
  }
  return <Empty>{children}</Empty>;
}

/**
 * What just happened ("Category “Tea” created."). Unless told otherwise it takes the focus when it
 * appears: the form that had it is gone, and a keyboard user continues from here instead of the
 * top of the page. Beside a form that stays, it does not (the user goes on typing there).
 */
export function SuccessNotice({ message, focus = true }: { message: string | undefined; focus?: boolean }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message && focus) ref.current?.focus();
  }, [message, focus]);
  if (!message) return null;
  return (
    <p ref={ref} className="notice success" role="status" tabIndex={-1}>
      {message}
    </p>
  );
}
