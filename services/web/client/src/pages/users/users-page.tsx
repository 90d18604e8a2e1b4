// Users (admins): search and filter in the query string, and add a user.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, accounts, call } from '../../api/client';
import type { Role } from '../../app/session';
import { Empty, ErrorMessage, Field, Loading, Page, Pager, formatDateTime, useResource } from '../../ui';
import { checkNewUser, type NewUser, type Problems } from './user-form';

const pageSize = 20;
export const roleLabels: Record<Role, string> = { admin: 'Administrator', manager: 'Manager', cashier: 'Cashier' };
const roles = Object.keys(roleLabels) as Role[];

export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').slice(0, 100);
  const roleParam = params.get('role');
  const role = roles.includes(roleParam as Role) ? (roleParam as Role) : undefined;
  const activeParam = params.get('active');
  const active = activeParam === 'true' || activeParam === 'false' ? activeParam : undefined;
  const rawPage = params.get('page') ?? '1';
  const page = /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  const [search, setSearch] = useState(q);
  const [adding, setAdding] = useState(false);
  const users = useResource(
    () =>
      call(
        accounts.GET('/api/v1/users', {
          params: {
            query: {
              page,
              pageSize,
              ...(q.trim() ? { q: q.trim() } : {}),
              ...(role ? { role } : {}),
              ...(active ? { active } : {}),
            },
          },
        }),
      ),
    [q, role, active, page],
  );
  const go = (next: { q?: string; role?: string; active?: string; page?: number }) => {
    const query = new URLSearchParams();
    const values = { q, role: role ?? '', active: active ?? '', ...next };
    if (values.q) query.set('q', values.q);
    if (values.role) query.set('role', values.role);
    if (values.active) query.set('active', values.active);
    if ((next.page ?? 1) > 1) query.set('page', String(next.page));
    setParams(query, { replace: true });
  };

  return (
    <Page
      title="Users"
      actions={
        <button type="button" className="primary" onClick={() => setAdding(true)} disabled={adding}>
          Add a user
        </button>
      }
    >
      {adding ? (
        <NewUserForm
          onDone={() => {
            setAdding(false);
            users.reload();
          }}
        />
      ) : null}
      <form
        className="card filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          go({ q: search.trim() });
        }}
      >
        <label>
          Search
          <input type="search" maxLength={100} value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        <label>
          Role
          <select value={role ?? ''} onChange={(event) => go({ role: event.target.value })}>
            <option value="">Any</option>
            {roles.map((option) => (
              <option key={option} value={option}>
                {roleLabels[option]}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={active ?? ''} onChange={(event) => go({ active: event.target.value })}>
            <option value="">Any</option>
            <option value="true">Active</option>
            <option value="false">Deactivated</option>
          </select>
        </label>
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      <ErrorMessage error={users.error} retry={users.reload} />
      {users.loading && !users.data ? <Loading /> : null}
      {users.data && users.data.items.length === 0 ? <Empty>No user matches.</Empty> : null}
      {users.data && users.data.items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Username</th>
                  <th>Name</th>
                  <th>Role</th>
                  <th>State</th>
                  <th>Since</th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((user) => (
                  <tr key={user.id}>
                    <td>
                      <Link to={`/users/${user.id}`}>{user.username}</Link>
                    </td>
                    <td>
                      {user.fullName}
                      <br />
                      <span className="muted">{user.email}</span>
                    </td>
                    <td>{roleLabels[user.role as Role] ?? user.role}</td>
                    <td>{user.active ? 'Active' : 'Deactivated'}</td>
                    <td>{formatDateTime(user.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={pageSize} total={users.data.total} onPage={(next) => go({ page: next })} />
        </>
      ) : null}
    </Page>
  );
}

function NewUserForm({ onDone }: { onDone(): void }) {
  const [user, setUser] = useState<NewUser>({ username: '', email: '', fullName: '', role: 'cashier', password: '' });
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const server = error instanceof ApiError ? error.fieldErrors : {};
  const problem = (field: keyof NewUser) => problems[field] ?? server[field];
  const set = (change: Partial<NewUser>) => setUser({ ...user, ...change });

  const submit = async () => {
    const found = checkNewUser(user);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await call(
        accounts.POST('/api/v1/users', {
          body: { ...user, username: user.username.trim(), email: user.email.trim(), fullName: user.fullName.trim() },
        }),
      );
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      aria-label="New user"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>New user</h2>
      <Field label="Username" error={problem('username')}>
        <input
          autoFocus
          autoComplete="off"
          maxLength={32}
          value={user.username}
          onChange={(event) => set({ username: event.target.value })}
        />
      </Field>
      <Field label="Full name" error={problem('fullName')}>
        <input maxLength={120} value={user.fullName} onChange={(event) => set({ fullName: event.target.value })} />
      </Field>
      <Field label="Email" error={problem('email')}>
        <input
          type="email"
          maxLength={254}
          value={user.email}
          onChange={(event) => set({ email: event.target.value })}
        />
      </Field>
      <Field label="Role" error={problem('role')}>
        <select value={user.role} onChange={(event) => set({ role: event.target.value as Role })}>
          {roles.map((option) => (
            <option key={option} value={option}>
              {roleLabels[option]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Password" hint="12 to 128 characters; a few words make a good one." error={problem('password')}>
        <input
          type="password"
          autoComplete="new-password"
          maxLength={128}
          value={user.password}
          onChange={(event) => set({ password: event.target.value })}
        />
      </Field>
      <ErrorMessage error={Object.keys(server).length > 0 ? undefined : error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add the user'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
