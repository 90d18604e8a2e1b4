// Alertmanager's alerts as admins read them: one notification per alert state change.
import { bounded, type Content } from './notification';

export interface Alert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  fingerprint: string;
}

export function alertContent(alert: Alert): Content {
  const name = alert.annotations.summary || alert.labels.alertname || 'Alert';
  const resolved = alert.status === 'resolved';
  const description = alert.annotations.description ?? '';
  const since = resolved && alert.endsAt ? `Resolved at ${alert.endsAt}.` : `Since ${alert.startsAt}.`;
  return bounded({
    kind: 'system.alert',
    title: resolved ? `Resolved: ${name}` : name,
    text: [description, since].filter(Boolean).join(' '),
    link: null,
  });
}

/** A state change is one (fingerprint, status, start): Alertmanager re-sends it on every group interval. */
export const alertSource = (alert: Alert) => `alert:${alert.fingerprint}:${alert.status}:${alert.startsAt}`;
