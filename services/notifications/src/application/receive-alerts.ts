// Alertmanager's webhook: each alert state change becomes a notification for every active admin.
import { alertContent, alertSource, type Alert } from '../domain/alert';
import type { NotificationsDeps } from './ports';

export function receiveAlerts(deps: Pick<NotificationsDeps, 'uow' | 'clock'>) {
  return (command: { alerts: Alert[]; correlationId: string }): Promise<{ notified: number }> =>
    deps.uow.run(command.correlationId, async (tx) => {
      let notified = 0;
      for (const alert of command.alerts) {
        // Alertmanager repeats a group on every interval: the source id makes a repeat a no-op.
        const created = await tx.notifications.deliver({
          audience: { roles: ['admin'] },
          content: alertContent(alert),
          sourceId: alertSource(alert),
          createdAt: deps.clock.now(),
        });
        notified += created.length;
      }
      return { notified };
    });
}
