// Server-Sent Events: each open stream belongs to one user and one login session. New rows are
// announced by Postgres (adapters/postgres/listener.ts) and read from the table by sequence, so a
// stream sends every notification once, in order, whichever process created it.
import { PassThrough } from 'node:stream';
import { Gauge } from 'prom-client';
import type { Logger } from '@tulity/adapters/logger';
import type { Metrics } from '@tulity/adapters/metrics';
import type { Notification } from '../../domain/notification';
import type { StreamTicket } from '../../domain/stream-ticket';
import { failures } from '../../domain/failures';
import { presentNotification } from './presenters';

export interface StreamHubOptions {
  /** Comment lines keep proxies and browsers from timing an idle stream out. */
  heartbeatMs: number;
  maxPerUser: number;
  metrics: Metrics;
  logger: Logger;
  notificationsAfter(command: { userId: string; seq: number; limit: number }): Promise<Notification[]>;
}

interface OpenStream {
  ticket: StreamTicket;
  out: PassThrough;
  /** The sequence of the last notification sent (or the resume point). */
  sent: number;
  pumping: boolean;
  again: boolean;
}

export interface StreamHub {
  /** Opens a stream after `from`; throws a throttled Failure above the per-user cap. */
  open(ticket: StreamTicket, from: number): PassThrough;
  /** New notifications for these users ('*': anyone). */
  wake(userIds: readonly string[] | '*'): void;
  /** Accounts revoked a session, a user or a token (`kind:subject`): their streams end. */
  revoked(kind: string, subject: string): void;
  openStreams(): number;
  closeAll(): void;
}

const batch = 100;
/** Long enough to cover the moment between a ticket's revocation check and its stream's registration. */
const rememberRevocationsMs = 60_000;

export function createStreamHub(options: StreamHubOptions): StreamHub {
  const byUser = new Map<string, Set<OpenStream>>();
  const recentRevocations = new Map<string, number>();
  const gauge = new Gauge({
    name: 'notification_streams_open',
    help: 'Open notification streams (SSE) in this process.',
    registers: [options.metrics.registry],
  });
  const heartbeat = setInterval(() => {
    for (const streams of byUser.values()) for (const stream of streams) stream.out.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();

  const all = () => [...byUser.values()].flatMap((streams) => [...streams]);
  const matches = (stream: OpenStream, kind: string, subject: string) =>
    (kind === 'session' && stream.ticket.sessionId === subject) ||
    (kind === 'user' && stream.ticket.userId === subject) ||
    (kind === 'token' && stream.ticket.tokenId === subject);

  async function pump(stream: OpenStream) {
    if (stream.pumping) {
      stream.again = true;
      return;
    }
    stream.pumping = true;
    try {
      let more = true;
      while (more && !stream.out.destroyed) {
        stream.again = false;
        const rows = await options.notificationsAfter({ userId: stream.ticket.userId, seq: stream.sent, limit: batch });
        for (const row of rows) {
          if (stream.out.destroyed) return;
          stream.out.write(
            `id: ${row.seq}\nevent: notification\ndata: ${JSON.stringify(presentNotification(row))}\n\n`,
          );
          stream.sent = row.seq;
        }
        more = stream.again || rows.length === batch;
      }
    } catch (error) {
      // The next wake (a new notification, the listener reconnecting) tries again from `sent`.
      options.logger.warn({ err: error, userId: stream.ticket.userId }, 'stream could not read notifications');
    } finally {
      stream.pumping = false;
    }
  }

  function close(stream: OpenStream) {
    stream.out.end();
  }

  return {
    open(ticket, from) {
      const mine = byUser.get(ticket.userId) ?? new Set<OpenStream>();
      if (mine.size >= options.maxPerUser) throw failures.tooManyStreams(options.maxPerUser);
      const out = new PassThrough();
      const stream: OpenStream = { ticket, out, sent: from, pumping: false, again: false };
      mine.add(stream);
      byUser.set(ticket.userId, mine);
      gauge.inc();
      out.once('close', () => {
        mine.delete(stream);
        if (mine.size === 0 && byUser.get(ticket.userId) === mine) byUser.delete(ticket.userId);
        gauge.dec();
      });
      out.write('retry: 3000\n: connected\n\n');
      const now = Date.now();
      for (const [key, at] of recentRevocations) if (now - at > rememberRevocationsMs) recentRevocations.delete(key);
      if (
        [...recentRevocations.keys()].some((key) =>
          matches(stream, key.split(':')[0]!, key.slice(key.indexOf(':') + 1)),
        )
      ) {
        close(stream);
        return out;
      }
      void pump(stream);
      return out;
    },
    wake(userIds) {
      const streams = userIds === '*' ? all() : userIds.flatMap((id) => [...(byUser.get(id) ?? [])]);
      for (const stream of streams) void pump(stream);
    },
    revoked(kind, subject) {
      recentRevocations.set(`${kind}:${subject}`, Date.now());
      for (const stream of all()) if (matches(stream, kind, subject)) close(stream);
    },
    openStreams: () => all().length,
    closeAll() {
      clearInterval(heartbeat);
      for (const stream of all()) close(stream);
    },
  };
}
