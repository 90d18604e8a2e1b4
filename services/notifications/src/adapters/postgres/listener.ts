// A dedicated Postgres connection LISTENing for what the triggers of the migration announce: new
// notifications (by recipient) and revocations. It reconnects with backoff; after a reconnect every
// stream reads again, so a notification announced while it was away is still delivered.
import pg from 'pg';
import type { Logger } from '@tulity/adapters/logger';
import { backoff } from '@tulity/adapters/loop';

export interface ChangeListener {
  onNotifications(recipients: readonly string[] | '*'): void;
  onRevocation(kind: string, subject: string): void;
  /** (Re)connected: anything announced while disconnected was missed. */
  onConnected(): void;
}

export interface Listening {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function listenForChanges(databaseUrl: string, listener: ChangeListener, logger: Logger): Listening {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const connect = async (failures: number) => {
    const next = new pg.Client({ connectionString: databaseUrl });
    const retry = (error: unknown) => {
      if (stopped || client !== next) return;
      client = undefined;
      next.end().catch(() => undefined);
      const delayMs = backoff(failures + 1, 200, 10_000);
      logger.warn({ err: error, retryInMs: delayMs }, 'notification listener lost its connection; reconnecting');
      timer = setTimeout(() => void connect(failures + 1), delayMs);
    };
    client = next;
    next.on('error', retry);
    next.on('end', () => retry(new Error('connection ended')));
    next.on('notification', ({ channel, payload = '' }) => {
      if (channel === 'notifications_created') listener.onNotifications(payload === '*' ? '*' : payload.split(','));
      else if (channel === 'auth_revoked') {
        const at = payload.indexOf(':');
        listener.onRevocation(payload.slice(0, at), payload.slice(at + 1));
      }
    });
    try {
      await next.connect();
      await next.query('listen notifications_created; listen auth_revoked');
      if (stopped) return void (await next.end());
      listener.onConnected();
      markReady();
    } catch (error) {
      retry(error);
    }
  };
  void connect(0);
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
