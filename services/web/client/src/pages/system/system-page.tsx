// The system page (admins): services' readiness and the event flow per topic and consumer group,
// refreshed every few seconds while the page is visible.
import { useEffect, useState } from 'react';
import { systemFlows, systemHealth, type SystemFlows, type SystemHealth } from '../../api/system';
import { ErrorMessage, Loading, Page, formatDateTime } from '../../ui';

const refreshMs = 5_000;
const count = new Intl.NumberFormat();
const rate = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export function SystemPage() {
  const [health, setHealth] = useState<SystemHealth | undefined>(undefined);
  const [flows, setFlows] = useState<SystemFlows | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const refresh = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const [nextHealth, nextFlows] = await Promise.all([
            systemHealth(controller.signal),
            systemFlows(controller.signal),
          ]);
          if (stopped) return;
          setHealth(nextHealth);
          setFlows(nextFlows);
          setError(undefined);
        } catch (failure) {
          if (!stopped) setError(failure);
        }
      }
      if (!stopped) timer = setTimeout(() => void refresh(), refreshMs);
    };
    void refresh();
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [paused]);

  const unavailable = new Set(flows?.unavailable ?? []);
  return (
    <Page
      title="System"
      actions={
        <button type="button" className="secondary" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume live updates' : 'Pause live updates'}
        </button>
      }
    >
      <ErrorMessage error={error} />
      {!health && !error ? <Loading /> : null}
      {health ? (
        <section aria-label="Services">
          <h2>Services</h2>
          <ul className="service-health">
            {health.services.map((service) => (
              <li key={service.name} className={service.ready ? 'card ready' : 'card not-ready'}>
                <strong>{service.name}</strong>{' '}
                <span className={service.ready ? 'status status-confirmed' : 'status status-rejected'}>
                  {service.ready ? 'Ready' : 'Not ready'}
                </span>
                <br />
                <small className="muted">
                  {Object.entries(service.checks)
                    .map(([check, state]) => `${check} ${state}`)
                    .join(' · ') || 'no answer'}
                </small>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {flows ? (
        <>
          <p className="muted" aria-live="polite">
            From {flows.source === 'prometheus' ? 'Prometheus' : "the services' metrics (Prometheus is not answering)"}{' '}
            · {formatDateTime(flows.at)}
            {paused ? ' · paused' : ''}
            {flows.unavailable.length > 0 ? ` · no figures from ${flows.unavailable.join(', ')}` : ''}
          </p>
          <section aria-label="Event flow">
            <h2>Event flow</h2>
            <div className="table-wrap">
              <table className="flows">
                <thead>
                  <tr>
                    <th>Topic</th>
                    <th>Consumer group</th>
                    <th className="number">Produced</th>
                    <th className="number">Consumed</th>
                    <th className="number">Lag</th>
                    <th className="number">Dead letters</th>
                  </tr>
                </thead>
                <tbody>
                  {flows.topics.map((topic) => {
                    const groups = flows.flows.filter((flow) => flow.topic === topic.topic);
                    const rows = groups.length > 0 ? groups : [undefined];
                    return rows.map((flow, index) => (
                      <tr
                        key={`${topic.topic}/${flow?.group ?? ''}`}
                        className={index === 0 ? 'topic-start' : undefined}
                      >
                        {index === 0 ? (
                          <th scope="rowgroup" rowSpan={rows.length}>
                            {topic.topic}
                            <br />
                            <small className="muted">from {topic.producer ?? 'unknown'}</small>
                          </th>
                        ) : null}
                        <td>{flow?.group ?? <span className="muted">no consumer</span>}</td>
                        {index === 0 ? (
                          <td className="number" rowSpan={rows.length}>
                            {count.format(topic.produced)}
                            {topic.producedPerSecond !== null ? (
                              <small className="muted"> ({rate.format(topic.producedPerSecond)}/s)</small>
                            ) : null}
                          </td>
                        ) : null}
                        <td className="number">
                          {flow ? count.format(flow.consumed) : '—'}
                          {flow?.consumedPerSecond !== null && flow?.consumedPerSecond !== undefined ? (
                            <small className="muted"> ({rate.format(flow.consumedPerSecond)}/s)</small>
                          ) : null}
                        </td>
                        <td className={flow?.lag ? 'number warn' : 'number'}>
                          {flow?.lag === null || flow?.lag === undefined ? '—' : count.format(flow.lag)}
                        </td>
                        <td className={flow?.deadLetters ? 'number bad' : 'number'}>
                          {flow ? count.format(flow.deadLetters) : '—'}
                        </td>
                      </tr>
                    ));
                  })}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-label="Outbox">
            <h2>Outbox</h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Service</th>
                    <th className="number">Waiting to publish</th>
                    <th className="number">Oldest waiting</th>
                    <th>Relay</th>
                  </tr>
                </thead>
                <tbody>
                  {flows.outbox.map((outbox) => (
                    <tr key={outbox.service}>
                      <td>{outbox.service}</td>
                      <td className={outbox.pending ? 'number warn' : 'number'}>
                        {outbox.pending === null ? '—' : count.format(outbox.pending)}
                      </td>
                      <td className="number">
                        {outbox.oldestAgeSeconds === null ? '—' : `${rate.format(outbox.oldestAgeSeconds)} s`}
                      </td>
                      <td>
                        {unavailable.has(outbox.service) || outbox.relayActive === null
                          ? 'unknown'
                          : outbox.relayActive
                            ? 'active'
                            : 'none active'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
    </Page>
  );
}
