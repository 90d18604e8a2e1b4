// The start page: today's sales, the sales still waiting for stock, products running low, the
// latest notifications and whether the services are up. Each card loads on its own, so one slow
// or failing service does not blank the others.
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { call, notifications, products, transactions } from '../../api/client';
import { systemHealth } from '../../api/system';
import { useSession } from '../../app/session';
import { Empty, ErrorMessage, formatDateTime, Loading, Money, Page, useResource, type Resource } from '../../ui';
import { useCanWrite } from '../products/hooks';
import { browserTimeZone, dayIn, startOfLocalDay, todayFigures } from './today';

function Card({
  title,
  id,
  resource,
  children,
}: {
  title: string;
  id: string;
  resource: Resource<unknown>;
  children: ReactNode;
}) {
  return (
    <section className="card dashboard-card" aria-labelledby={id} aria-busy={resource.loading}>
      <h2 id={id}>{title}</h2>
      <ErrorMessage error={resource.error} retry={resource.reload} />
      {resource.loading && resource.data === undefined ? <Loading /> : null}
      {resource.data !== undefined ? children : null}
    </section>
  );
}

export function DashboardPage() {
  const { user } = useSession();
  const canWrite = useCanWrite();
  const [refreshed, setRefreshed] = useState(0);
  return (
    <Page
      title="Dashboard"
      actions={
        <button type="button" className="secondary" onClick={() => setRefreshed((n) => n + 1)}>
          Refresh
        </button>
      }
    >
      <p className="muted">Welcome, {user.fullName}.</p>
      <div className="dashboard-grid">
        {canWrite ? <TodayCard refreshed={refreshed} /> : <MySalesTodayCard refreshed={refreshed} />}
        <PendingSalesCard refreshed={refreshed} />
        <LowStockCard refreshed={refreshed} />
        <NotificationsCard refreshed={refreshed} />
        <HealthCard refreshed={refreshed} />
      </div>
    </Page>
  );
}

/** Managers and admins: the daily report for the browser's calendar day in its time zone. */
function TodayCard({ refreshed }: { refreshed: number }) {
  const timeZone = browserTimeZone();
  const day = dayIn(new Date(), timeZone);
  const report = useResource(async () => {
    const data = await call(
      transactions.GET('/api/v1/reports/daily', { params: { query: { from: day, to: day, timeZone } } }),
    );
    return todayFigures(data, day);
  }, [refreshed]);
  const today = report.data;
  return (
    <Card title="Today" id="dashboard-today" resource={report}>
      {today ? (
        <>
          <dl className="figures">
            <div>
              <dt>Sales confirmed</dt>
              <dd>{today.confirmed}</dd>
            </div>
            <div>
              <dt>Revenue</dt>
              <dd>
                <Money minor={today.revenueMinor} currency={today.currency} />
              </dd>
            </div>
          </dl>
          <p className="muted">
            {today.recorded} recorded today: {today.pending} pending, {today.rejected} rejected. Revenue counts
            confirmed sales, less refunds.
          </p>
          <Link to={`/sales?from=${day}&to=${day}`}>Today’s sales</Link>
        </>
      ) : null}
    </Card>
  );
}

/** Cashiers may not read the report: they see how many of their own sales were confirmed today. */
function MySalesTodayCard({ refreshed }: { refreshed: number }) {
  const day = dayIn(new Date(), browserTimeZone());
  const mine = useResource(
    () =>
      call(
        transactions.GET('/api/v1/sales', {
          params: { query: { status: 'confirmed', from: startOfLocalDay(new Date()), pageSize: 1 } },
        }),
      ),
    [refreshed],
  );
  return (
    <Card title="Your sales today" id="dashboard-today" resource={mine}>
      <dl className="figures">
        <div>
          <dt>Sales confirmed</dt>
          <dd>{mine.data?.total ?? 0}</dd>
        </div>
      </dl>
      <Link to={`/sales?status=confirmed&from=${day}&to=${day}`}>Open your sales of today</Link>
    </Card>
  );
}

function PendingSalesCard({ refreshed }: { refreshed: number }) {
  const pending = useResource(
    () =>
      call(
        transactions.GET('/api/v1/sales', {
          params: { query: { status: 'pending', pageSize: 5, sort: '-createdAt' } },
        }),
      ),
    [refreshed],
  );
  const data = pending.data;
  return (
    <Card title="Pending sales" id="dashboard-pending" resource={pending}>
      {data && data.total === 0 ? <Empty>No sale is waiting for stock.</Empty> : null}
      {data && data.total > 0 ? (
        <>
          <p>
            <strong>{data.total}</strong> waiting for the stock check.
          </p>
          <ul className="plain-list">
            {data.items.map((sale) => (
              <li key={sale.id}>
                <Link to={`/sales/${sale.id}`}>{formatDateTime(sale.createdAt)}</Link>{' '}
                <Money minor={sale.totalMinor} currency={sale.currency} />
              </li>
            ))}
          </ul>
          <Link to="/sales?status=pending">All pending sales</Link>
        </>
      ) : null}
    </Card>
  );
}

function LowStockCard({ refreshed }: { refreshed: number }) {
  const low = useResource(
    () =>
      call(
        products.GET('/api/v1/products', {
          params: { query: { lowStock: 'true', active: 'true', sort: 'stock', pageSize: 5 } },
        }),
      ),
    [refreshed],
  );
  const data = low.data;
  return (
    <Card title="Low stock" id="dashboard-low-stock" resource={low}>
      {data && data.total === 0 ? <Empty>Every active product is above its low-stock level.</Empty> : null}
      {data && data.total > 0 ? (
        <>
          <p>
            <strong>{data.total}</strong> active {data.total === 1 ? 'product is' : 'products are'} low on stock.
          </p>
          <ul className="plain-list">
            {data.items.map((product) => (
              <li key={product.id}>
                <Link to={`/products/${product.id}`}>{product.name}</Link>{' '}
                <span className="muted">
                  {product.stockQuantity} left (low at {product.lowStockThreshold})
                </span>
              </li>
            ))}
          </ul>
          <Link to="/products?active=true&lowStock=true&sort=stock">All low-stock products</Link>
        </>
      ) : null}
    </Card>
  );
}

function NotificationsCard({ refreshed }: { refreshed: number }) {
  const latest = useResource(
    () => call(notifications.GET('/api/v1/notifications', { params: { query: { pageSize: 5 } } })),
    [refreshed],
  );
  const data = latest.data;
  return (
    <Card title="Latest notifications" id="dashboard-notifications" resource={latest}>
      {data && data.items.length === 0 ? <Empty>No notifications.</Empty> : null}
      {data && data.items.length > 0 ? (
        <>
          <p>{data.unreadCount === 0 ? 'All read.' : `${data.unreadCount} unread.`}</p>
          <ul className="plain-list">
            {data.items.map((item) => (
              <li key={item.id}>
                <strong>{item.title}</strong>
                {item.readAt ? null : <span className="tag info">New</span>}
                <span className="clamp">{item.text}</span>
                <small className="muted">{formatDateTime(item.createdAt)}</small>
              </li>
            ))}
          </ul>
          <Link to="/notifications">All notifications</Link>
        </>
      ) : null}
    </Card>
  );
}

function HealthCard({ refreshed }: { refreshed: number }) {
  const health = useResource(() => systemHealth(), [refreshed]);
  const services = health.data?.services ?? [];
  const down = services.filter((s) => !s.ready);
  return (
    <Card title="Services" id="dashboard-health" resource={health}>
      <p className={down.length === 0 ? 'notice success' : 'notice warning'}>
        {down.length === 0
          ? 'All services are ready.'
          : `${down.length} not ready: ${down.map((s) => s.name).join(', ')}.`}
      </p>
      <ul className="plain-list health">
        {services.map((service) => (
          <li key={service.name}>
            <span className={service.ready ? 'dot ok' : 'dot down'} aria-hidden="true" />
            {service.name}: {service.ready ? 'ready' : 'not ready'}
          </li>
        ))}
      </ul>
    </Card>
  );
}
