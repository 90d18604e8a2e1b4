// One user (admins): name and email, role, deactivate or reactivate, delete.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, accounts, call } from '../../api/client';
import { useSession, type Role } from '../../app/session';
import { ConfirmButton, ErrorMessage, Field, Loading, Page, formatDateTime, useResource } from '../../ui';
import { checkEmail, checkFullName } from './user-form';
import { roleLabels } from './users-page';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function UserPage() {
  const { id = '' } = useParams();
  const { user: me } = useSession();
  const navigate = useNavigate();
  const valid = uuid.test(id);
  const user = useResource(
    () =>
      valid
        ? call(accounts.GET('/api/v1/users/{id}', { params: { path: { id } } }))
        : Promise.reject(new Error("This is not a user's address.")),
    [id],
  );
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [problems, setProblems] = useState<{ fullName?: string; email?: string }>({});
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!user.data) return;
    setFullName(user.data.fullName);
    setEmail(user.data.email);
    setRole(user.data.role as Role);
  }, [user.data]);

  const server = error instanceof ApiError ? error.fieldErrors : {};
  const update = async (body: { fullName?: string; email?: string; role?: Role; active?: boolean }, done: string) => {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      await call(accounts.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body }));
      setSaved(done);
      user.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    const found = { fullName: checkFullName(fullName), email: checkEmail(email) };
    setProblems(found);
    if (found.fullName || found.email || !user.data) return;
    const body: { fullName?: string; email?: string; role?: Role } = {};
    if (fullName.trim() !== user.data.fullName) body.fullName = fullName.trim();
    if (email.trim() !== user.data.email) body.email = email.trim();
    if (role !== user.data.role) body.role = role;
    if (Object.keys(body).length === 0) return setSaved('Nothing to change.');
    void update(body, body.role ? 'Saved. The user signs in again to get the new role.' : 'Saved.');
  };
  const self = user.data?.id === me.id;

  return (
    <Page
      title={user.data ? `User ${user.data.username}` : 'User'}
      actions={
        <Link className="button" to="/users">
          All users
        </Link>
      }
    >
      <ErrorMessage error={user.error} retry={valid ? user.reload : undefined} />
      {user.loading && !user.data ? <Loading /> : null}
      {user.data ? (
        <>
          <p className="muted">
            {user.data.active ? 'Active' : 'Deactivated'} · since {formatDateTime(user.data.createdAt)}
          </p>
          <form
            className="card"
            aria-label="Edit user"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              save();
            }}
          >
            <Field label="Full name" error={problems.fullName ?? server.fullName}>
              <input maxLength={120} value={fullName} onChange={(event) => setFullName(event.target.value)} />
            </Field>
            <Field label="Email" error={problems.email ?? server.email}>
              <input type="email" maxLength={254} value={email} onChange={(event) => setEmail(event.target.value)} />
            </Field>
            <Field label="Role" error={server.role} hint={self ? 'You cannot change your own role here.' : undefined}>
              <select value={role} disabled={self} onChange={(event) => setRole(event.target.value as Role)}>
                {(Object.keys(roleLabels) as Role[]).map((option) => (
                  <option key={option} value={option}>
                    {roleLabels[option]}
                  </option>
                ))}
              </select>
            </Field>
            {saved ? (
              <p className="notice success" role="status">
                {saved}
              </p>
            ) : null}
            <ErrorMessage error={Object.keys(server).length > 0 ? undefined : error} />
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
          </form>
          {!self ? (
            <div className="actions danger-zone">
              {user.data.active ? (
                <ConfirmButton
                  question="Deactivate? The user is signed out and cannot sign in."
                  confirmLabel="Deactivate"
                  onConfirm={() => update({ active: false }, 'Deactivated.')}
                >
                  Deactivate
                </ConfirmButton>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void update({ active: true }, 'Reactivated.')}
                >
                  Reactivate
                </button>
              )}
              <ConfirmButton
                question={`Delete ${user.data.username} for good?`}
                confirmLabel="Delete"
                onConfirm={async () => {
                  await call(accounts.DELETE('/api/v1/users/{id}', { params: { path: { id } } }));
                  navigate('/users', { replace: true });
                }}
              >
                Delete
              </ConfirmButton>
            </div>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
