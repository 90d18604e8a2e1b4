import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { LoginPage } from '../pages/login/login-page';
import { Loading, Page } from '../ui';
import { Layout } from './layout';
import { pages, type PageEntry } from './pages';
import { useSession, useSessionState } from './session';

/** Signed-out visitors go to login, which brings them back here afterwards. */
function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSessionState();
  const location = useLocation();
  if (state.status === 'restoring') return <Loading label="Opening your session…" />;
  // After a logout the next person starts afresh; after an ended session, sign-in returns here.
  if (state.status === 'signedOut') {
    return <Navigate to="/login" replace state={state.loggedOut ? undefined : { from: location }} />;
  }
  return children;
}

export function NotAllowed() {
  return (
    <Page title="Not allowed">
      <p className="notice warning" role="alert">
        You are not allowed to open this page. Ask an administrator if you need it.
      </p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </Page>
  );
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </Page>
  );
}

function Guarded({ page }: { page: PageEntry }) {
  const { user } = useSession();
  return page.roles.includes(user.role) ? page.element : <NotAllowed />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        {pages.map((page) => (
          <Route key={page.path} path={page.path} element={<Guarded page={page} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
