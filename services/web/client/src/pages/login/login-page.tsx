import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, type Location } from 'react-router';
import { useSessionState } from '../../app/session';
import { Field, Loading, fieldError, errorText } from '../../ui';

/** Where to go after signing in: back to the page that sent us here, never to another origin. */
function destination(location: Location): string {
  const from = (location.state as { from?: Location } | null)?.from;
  if (!from || from.pathname === '/login' || !from.pathname.startsWith('/')) return '/';
  return `${from.pathname}${from.search}${from.hash}`;
}

export function LoginPage() {
  const { state, login } = useSessionState();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  if (state.status === 'restoring') return <Loading label="Opening your session…" />;
  if (state.status === 'signedIn') return <Navigate to={destination(location)} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      username: username.trim() ? undefined : 'Enter your username.',
      password: password ? undefined : 'Enter your password.',
    };
    setMissing(problems);
    if (problems.username || problems.password) return;
    setBusy(true);
    setError(undefined);
    try {
      await login(username.trim(), password);
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const message = error === undefined ? state.message : undefined;
  return (
    <main className="login">
      <form className="card" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="login-title">
        <h1 id="login-title">Tulity Retail</h1>
        <p className="muted">Sign in to the back office.</p>
        {message ? (
          <p className="notice info" role="status">
            {message}
          </p>
        ) : null}
        {error !== undefined ? (
          <p className="notice error" role="alert">
            {errorText(error)}
          </p>
        ) : null}
        <Field label="Username" error={missing.username ?? fieldError(error, 'username')}>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            autoFocus
          />
        </Field>
        <Field label="Password" error={missing.password ?? fieldError(error, 'password')}>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            maxLength={1024}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
