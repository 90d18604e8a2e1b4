// Small hooks the catalogue pages share.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../../app/session';

/** Managers and admins change the catalogue; cashiers only read it (the server checks again). */
export function useCanWrite(): boolean {
  const { user } = useSession();
  return user.role === 'admin' || user.role === 'manager';
}

/**
 * A page's state kept in the query string: read on every render, written with replace so the
 * back button leaves the page instead of stepping through each keystroke of a filter.
 */
export function useQueryState<T>(
  read: (params: URLSearchParams) => T,
  write: (state: T) => URLSearchParams,
): [T, (next: T) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // The query string is the state's identity: read again only when it changes.
  const state = useMemo(() => read(new URLSearchParams(key)), [key]);
  const set = useCallback((next: T) => setParams(write(next), { replace: true }), [setParams, write]);
  return [state, set];
}

/**
 * A message handed over by the page that navigated here ("Product created."). It is shown once:
 * the history entry forgets it, so a reload does not announce the creation again.
 */
export function useNotice(): string | undefined {
  const location = useLocation();
  const navigate = useNavigate();
  const [notice] = useState(() => {
    const state: unknown = location.state;
    return typeof state === 'object' && state !== null && 'notice' in state && typeof state.notice === 'string'
      ? state.notice
      : undefined;
  });
  useEffect(() => {
    if (notice !== undefined)
      void navigate({ pathname: location.pathname, search: location.search }, { replace: true });
    // Only on arrival: later changes of the URL carry no notice.
  }, []);
  return notice;
}
