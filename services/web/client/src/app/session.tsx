import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSessionChange, tokens, type SessionSettings, type SessionUser } from '../api/client';
import * as sessionEndpoints from '../api/session-endpoints';
import { endedMessage, type SessionGrant } from '../api/tokens';

export type { Role, SessionSettings, SessionUser } from '../api/client';

type State =
  | { status: 'restoring' }
  | { status: 'signedOut'; message?: string; loggedOut?: boolean }
  | { status: 'signedIn'; user: SessionUser; settings: SessionSettings };

interface SessionContextValue {
  state: State;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

const signedIn = (grant: SessionGrant): State => ({ status: 'signedIn', user: grant.user, settings: grant.settings });

// Whether this tab's session was ended by the server, so a reload of the login page still says
// why the user is there (the cookie is gone by then). A flag, never a token.
const endedFlag = 'tulity.session-ended';
function rememberEnded(ended: boolean) {
  try {
    if (ended) sessionStorage.setItem(endedFlag, '1');
    else sessionStorage.removeItem(endedFlag);
  } catch {
    // Storage may be refused (privacy settings): the message is then shown only until a reload.
  }
}
function endedBefore(): boolean {
  try {
    return sessionStorage.getItem(endedFlag) === '1';
  } catch {
    return false;
  }
}

/** Restores the session from the server's cookie on load and follows it as tokens are renewed or refused. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'restoring' });

  useEffect(() => {
    const stop = onSessionChange(
      (grant) => {
        rememberEnded(false);
        setState(signedIn(grant));
      },
      (ended) => {
        if (ended.hadSession) rememberEnded(true);
        setState({ status: 'signedOut', message: ended.hadSession || endedBefore() ? endedMessage : undefined });
      },
    );
    // A renewal already under way (React's strict mode mounts twice) is shared, not repeated.
    tokens
      .refresh()
      .catch((error: unknown) =>
        setState({ status: 'signedOut', message: error instanceof Error ? error.message : String(error) }),
      );
    return stop;
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    tokens.accept(await sessionEndpoints.login(username, password));
  }, []);

  const logout = useCallback(async () => {
    const accessToken = await tokens.token().catch(() => undefined);
    tokens.clear();
    rememberEnded(false);
    // The login page shows only once the server dropped the cookie, so a reload straight after
    // cannot bring the session back. When the server cannot be reached, this page forgets anyway.
    await sessionEndpoints.logout(accessToken).catch(() => undefined);
    setState({ status: 'signedOut', message: 'You have signed out.', loggedOut: true });
  }, []);

  const value = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionState is used outside <SessionProvider>.');
  return value;
}

/** The signed-in user; for pages, which only render inside a session. */
export function useSession(): { user: SessionUser; settings: SessionSettings; logout(): Promise<void> } {
  const { state, logout } = useSessionState();
  if (state.status !== 'signedIn') throw new Error('useSession is used outside a signed-in page.');
  return { user: state.user, settings: state.settings, logout };
}
