// My notifications: newest first, new ones appear live at the top; mark read one by one or all.
import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call, notifications } from '../../api/client';
import { admins, staff } from '../../app/pages';
import { useSession, type Role } from '../../app/session';
import { Empty, ErrorMessage, Loading, Page, Pager, formatDateTime, useResource } from '../../ui';
import { markedLocally, useLiveNotifications, useNotificationArrivals, type AppNotification } from './live';

const pageSize = 20;

/** Where a notification's link leads in this app for this role, if anywhere. */
function linkOf(notification: AppNotification, role: Role): string | undefined {
  const link = notification.link;
  if (!link) return undefined;
  const paths: Record<string, string> = {
    sales: '/sales/',
    products: '/products/',
    ...(staff.includes(role) ? { purchases: '/purchases/' } : {}),
    ...(admins.includes(role) ? { users: '/users/' } : {}),
  };
  return paths[link.resource] ? `${paths[link.resource]}${link.id}` : undefined;
}

export function NotificationsPage() {
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === 'true';
  const rawPage = params.get('page') ?? '1';
  const page = /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  const live = useLiveNotifications();
  const { user } = useSession();
  const list = useResource(
    () =>
      call(
        notifications.GET('/api/v1/notifications', {
          params: { query: { page, pageSize, ...(unreadOnly ? { unread: 'true' as const } : {}) } },
        }),
      ),
    [page, unreadOnly],
  );
  // Arrivals while the page is open go on top of the first page.
  const [arrived, setArrived] = useState<AppNotification[]>([]);
  useNotificationArrivals(
    useCallback((notification: AppNotification) => setArrived((seen) => [notification, ...seen]), []),
  );
  const [changed, setChanged] = useState<Record<string, AppNotification>>({});
  const [error, setError] = useState<unknown>(undefined);

  const known = new Set((list.data?.items ?? []).map((item) => item.id));
  const items = [...(page === 1 ? arrived.filter((item) => !known.has(item.id)) : []), ...(list.data?.items ?? [])].map(
    (item) => changed[item.id] ?? item,
  );

  const mark = async (notification: AppNotification, read: boolean) => {
    setError(undefined);
    try {
      const updated = await call(
        notifications.PATCH('/api/v1/notifications/{id}', {
          params: { path: { id: notification.id } },
          body: { read },
        }),
      );
      setChanged((current) => ({ ...current, [updated.id]: updated }));
      const before = notification.readAt === null;
      markedLocally([updated], { delta: before === (updated.readAt === null) ? 0 : read ? -1 : 1 });
    } catch (failure) {
      setError(failure);
    }
  };
  const markAll = async () => {
    setError(undefined);
    try {
      await call(notifications.POST('/api/v1/notifications/read-all'));
      const now = new Date().toISOString();
      setChanged(Object.fromEntries(items.map((item) => [item.id, { ...item, readAt: item.readAt ?? now }])));
      markedLocally(
        live.latest.map((item) => ({ ...item, readAt: item.readAt ?? now })),
        { count: 0 },
      );
    } catch (failure) {
      setError(failure);
    }
  };
  const show = (next: { unread?: boolean; page?: number }) => {
    const query = new URLSearchParams();
    if (next.unread ?? unreadOnly) query.set('unread', 'true');
    if ((next.page ?? 1) > 1) query.set('page', String(next.page));
    setParams(query, { replace: true });
    setArrived([]);
  };

  return (
    <Page
      title="Notifications"
      actions={
        <button type="button" className="secondary" onClick={() => void markAll()} disabled={live.unread === 0}>
          Mark all read
        </button>
      }
    >
      <div className="filters">
        <label>
          <input type="checkbox" checked={unreadOnly} onChange={(event) => show({ unread: event.target.checked })} />{' '}
          Only unread
        </label>
        <span className="muted" aria-live="polite">
          {live.unread} unread{live.loaded && !live.connected ? ' · reconnecting…' : ''}
        </span>
      </div>
      <ErrorMessage error={error} />
      <ErrorMessage error={list.error} retry={list.reload} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? (
        <Empty>{unreadOnly ? 'Nothing unread.' : 'No notifications yet.'}</Empty>
      ) : null}
      {items.length > 0 ? (
        <ul className="notification-list" aria-live="polite">
          {items.map((item) => {
            const to = linkOf(item, user.role);
            return (
              <li key={item.id} className={item.readAt === null ? 'unread card' : 'card'}>
                <div>
                  <strong>{item.title}</strong> <span className="muted">{formatDateTime(item.createdAt)}</span>
                </div>
                <p>{item.text}</p>
                <div className="actions">
                  {to ? <Link to={to}>Open</Link> : null}
                  <button type="button" className="secondary" onClick={() => void mark(item, item.readAt === null)}>
                    {item.readAt === null ? 'Mark read' : 'Mark unread'}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {list.data ? (
        <Pager page={page} pageSize={pageSize} total={list.data.total} onPage={(next) => show({ page: next })} />
      ) : null}
    </Page>
  );
}
