// Composition root of the notifications service: settings → adapters → use cases → roles.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAuthenticator, type Authenticator } from '@tulity/adapters/auth/authenticator';
import { createRevocationCheck, pruneRevocations } from '@tulity/adapters/auth/revocation';
import { commonSettings, setting } from '@tulity/adapters/config';
import type { EventCatalogue } from '@tulity/adapters/events/catalogue';
import { startConsumer } from '@tulity/adapters/events/consumer';
import { createHttpApp } from '@tulity/adapters/http/app';
import { openApiDocument } from '@tulity/adapters/http/openapi';
import { buildRouter } from '@tulity/adapters/http/routes';
import { kafkaReadiness, type Kafka } from '@tulity/adapters/kafka/client';
import type { Logger } from '@tulity/adapters/logger';
import { startLoop } from '@tulity/adapters/loop';
import type { Metrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import { runService } from '@tulity/adapters/service/run';
import { deleteAnnouncement, listAnnouncements, postAnnouncement } from './application/announcements';
import {
  deleteNotification,
  markAllRead,
  markNotification,
  pruneNotifications,
} from './application/change-notifications';
import { hearEvent } from './application/hear-event';
import type { NotificationsDeps, SessionGuard } from './application/ports';
import { receiveAlerts } from './application/receive-alerts';
import { issueStreamTicket, redeemStreamTicket } from './application/stream-tickets';
import {
  getNotification,
  latestSequence,
  listNotifications,
  notificationsAfter,
} from './application/view-notifications';
import { ticketCodec } from './adapters/crypto/ticket-codec';
import { alertmanagerRouter } from './adapters/http/alertmanager';
import { notificationsApi } from './adapters/http/openapi';
import { notificationRoutes } from './adapters/http/routes';
import { createStreamHub } from './adapters/http/stream';
import { consumerCatalogue, eventHandlers, recipientsNamedBy } from './adapters/kafka/handlers';
import { listenForChanges } from './adapters/postgres/listener';
import { lockRecipientsAhead } from './adapters/postgres/recipient.repository';
import { createUnitOfWork } from './adapters/postgres/unit-of-work';

const service = 'notifications';
export const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

const minute = 60_000;
const day = 24 * 60 * minute;

export interface NotificationsConfig {
  ticketTtlMs: number;
  heartbeatMs: number;
  maxStreamsPerUser: number;
  /** Read notifications older than this are pruned. */
  retentionMs: number;
  pruneIntervalMs: number;
  /** TULITY_ALERT_WEBHOOK_SECRET; without it /internal/alertmanager answers 404. */
  alertWebhookSecret?: string;
}

export const defaultConfig: NotificationsConfig = {
  ticketTtlMs: 30_000,
  heartbeatMs: 15_000,
  maxStreamsPerUser: 5,
  retentionMs: 30 * day,
  pruneIntervalMs: 10 * minute,
};

/** A stream ticket is refused once accounts revoked its session or user, like the token that bought it. */
function sessionGuard(db: Knex): SessionGuard {
  const revocations = createRevocationCheck(db, { notRevokedCacheMs: 0 });
  return {
    isRevoked: (t) =>
      revocations.isRevoked({
        userId: t.userId,
        role: t.role,
        tokenId: t.tokenId,
        sessionId: t.sessionId,
        issuedAt: t.tokenIssuedAt.getTime(),
        expiresAt: t.expiresAt.getTime(),
      }),
  };
}

export function buildUseCases(deps: NotificationsDeps) {
  return {
    hearEvent: hearEvent(deps),
    listNotifications: listNotifications(deps),
    getNotification: getNotification(deps),
    notificationsAfter: notificationsAfter(deps),
    latestSequence: latestSequence(deps),
    markNotification: markNotification(deps),
    markAllRead: markAllRead(deps),
    deleteNotification: deleteNotification(deps),
    pruneNotifications: pruneNotifications(deps),
    postAnnouncement: postAnnouncement(deps),
    listAnnouncements: listAnnouncements(deps),
    deleteAnnouncement: deleteAnnouncement(deps),
    issueStreamTicket: issueStreamTicket(deps),
    redeemStreamTicket: redeemStreamTicket(deps),
    receiveAlerts: receiveAlerts(deps),
  };
}
export type UseCases = ReturnType<typeof buildUseCases>;

/** The ports over a database handle — the pool, or the consumer's inbox transaction. */
export const depsOver = (db: Knex, config: NotificationsConfig = defaultConfig): NotificationsDeps => ({
  uow: createUnitOfWork(db, randomUUID),
  clock: { now: () => new Date() },
  ids: { newId: randomUUID },
  codec: ticketCodec,
  sessions: sessionGuard(db),
  ticketTtlMs: config.ticketTtlMs,
});

export interface AppDeps {
  db: Knex;
  /** For the dedicated LISTEN connection of the streams. */
  databaseUrl: string;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
  authenticator: Authenticator;
  config?: NotificationsConfig;
}

/** The API and what runs beside it: the stream hub with its Postgres listener, and retention. */
export function buildApp({ db, databaseUrl, kafka, logger, metrics, authenticator, config = defaultConfig }: AppDeps) {
  const useCases = buildUseCases(depsOver(db, config));
  const hub = createStreamHub({
    heartbeatMs: config.heartbeatMs,
    maxPerUser: config.maxStreamsPerUser,
    metrics,
    logger,
    notificationsAfter: useCases.notificationsAfter,
  });
  const listening = listenForChanges(
    databaseUrl,
    {
      onNotifications: (recipients) => hub.wake(recipients),
      onRevocation: (kind, subject) => hub.revoked(kind, subject),
      onConnected: () => hub.wake('*'),
    },
    logger,
  );
  const retention = startLoop({
    step: async () => {
      await useCases.pruneNotifications({ retentionMs: config.retentionMs });
      await pruneRevocations(db);
      return config.pruneIntervalMs;
    },
    failed: (error) => logger.error({ err: error }, 'retention failed'),
    retryMinMs: 1000,
    retryMaxMs: config.pruneIntervalMs,
    logger,
  });
  const routes = notificationRoutes(useCases, hub);
  const app = createHttpApp({
    service,
    logger,
    metrics,
    // Alertmanager batches alerts; the webhook schema bounds what is read from them.
    bodyLimit: 256 * 1024,
    openapi: openApiDocument(routes, notificationsApi),
    routers: [
      buildRouter(routes, { authenticator }),
      ...(config.alertWebhookSecret ? [alertmanagerRouter(useCases.receiveAlerts, config.alertWebhookSecret)] : []),
    ],
    readiness: {
      database: () => db.raw('select 1'),
      kafka: kafkaReadiness(kafka),
    },
  });
  return {
    app,
    hub,
    /** Resolves once new notifications reach open streams. */
    ready: listening.ready,
    async stop() {
      hub.closeAll();
      await Promise.all([listening.stop(), retention.stop()]);
    },
  };
}

export interface ConsumerDeps {
  db: Knex;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
  registryUrl: string;
  groupId?: string;
  incoming?: EventCatalogue;
}

/** The consumer role: accounts', products' and transactions' events → read model, revocations, notifications. */
export function startConsumerRole(deps: ConsumerDeps) {
  return startConsumer({
    groupId: deps.groupId ?? service,
    db: deps.db,
    kafka: deps.kafka,
    registryUrl: deps.registryUrl,
    catalogue: deps.incoming ?? consumerCatalogue(),
    handlers: eventHandlers({ hearEventIn: (trx) => hearEvent(depsOver(trx)) }),
    lockFirst: (trx, events) => lockRecipientsAhead(trx, recipientsNamedBy(events)),
    logger: deps.logger,
    metrics: deps.metrics,
    // The read model of users is built from the whole of accounts.user.
    fromBeginning: true,
  });
}

function configFromSettings(): NotificationsConfig {
  const number = (name: string, fallback: number) => {
    const value = Number(setting(name, String(fallback)));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`setting ${name} must be a positive integer`);
    return value;
  };
  return {
    ticketTtlMs: number('TULITY_STREAM_TICKET_TTL_MS', defaultConfig.ticketTtlMs),
    heartbeatMs: number('TULITY_STREAM_HEARTBEAT_MS', defaultConfig.heartbeatMs),
    maxStreamsPerUser: number('TULITY_STREAM_MAX_PER_USER', defaultConfig.maxStreamsPerUser),
    retentionMs: number('TULITY_NOTIFICATION_RETENTION_DAYS', defaultConfig.retentionMs / day) * day,
    pruneIntervalMs: defaultConfig.pruneIntervalMs,
    alertWebhookSecret: process.env.TULITY_ALERT_WEBHOOK_SECRET || undefined,
  };
}

async function main() {
  const { databaseUrl } = commonSettings(service, 8012);
  const serviceUrls = JSON.parse(setting('TULITY_SERVICE_URLS', '{"accounts":"http://127.0.0.1:8011"}')) as Record<
    string,
    string
  >;
  const config = configFromSettings();
  let built: ReturnType<typeof buildApp> | undefined;
  await runService({
    service,
    defaultPort: 8012,
    migrations,
    api: (runtime) => {
      const authenticator = createAuthenticator({
        jwksUrl: `${serviceUrls.accounts ?? 'http://127.0.0.1:8011'}/api/v1/auth/jwks`,
        issuer: 'tulity-accounts',
        revocations: createRevocationCheck(runtime.db),
      });
      built = buildApp({ ...runtime, databaseUrl, authenticator, config });
      return built.app;
    },
    background: { api: () => ({ stop: async () => built?.stop() }) },
    consumer: (runtime) => startConsumerRole(runtime),
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
