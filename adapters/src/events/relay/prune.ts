import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { OUTBOX_TABLE } from '../tables';

/** Deletes published rows older than `retentionMs`, at most once per `intervalMs`; a failure is logged and tried next time. */
export function outboxPruner(db: Knex, logger: Logger, retentionMs: number, intervalMs: number): () => Promise<void> {
  let last = 0;
  return async () => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    try {
      const deleted = await db(OUTBOX_TABLE)
        .whereNotNull('published_at')
        .where('published_at', '<', new Date(Date.now() - retentionMs))
        .delete();
      if (deleted > 0) logger.info({ deleted }, 'pruned published outbox rows');
    } catch (error) {
      logger.warn({ err: error }, 'outbox prune failed');
    }
  };
}
