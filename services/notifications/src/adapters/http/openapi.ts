// The notifications API's OpenAPI document: the route table's declarations, the Alertmanager
// webhook and the words around them. `notificationsDocument()` builds it without a database, for
// `npm run openapi:generate`.
import { declarationsOnly, openApiDocument, type OpenApiOptions } from '@tulity/adapters/http/openapi';
import { alertmanagerEndpoint } from './alertmanager';
import { notificationRoutes } from './routes';

export const notificationsApi: OpenApiOptions = {
  title: 'Tulity notifications',
  description:
    "Per-user notifications derived from the shop's events, admin announcements, and a live stream (Server-Sent Events).",
  tags: {
    notifications: 'My notifications, their live stream, and announcements to a role or everyone',
    alerts: "Prometheus alerts from Alertmanager, which become admins' notifications",
  },
  endpoints: [alertmanagerEndpoint],
  securitySchemes: {
    webhookSecret: {
      type: 'http',
      scheme: 'bearer',
      description: 'The shared secret TULITY_ALERT_WEBHOOK_SECRET, not a JWT',
    },
  },
};

/** The document the service serves at /openapi.json. */
export const notificationsDocument = () =>
  openApiDocument(notificationRoutes(declarationsOnly('useCases'), declarationsOnly('hub')), notificationsApi);
