import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { retire } from '../../postgres/database';

/** A pooled Postgres connection, as knex hands it out. */
export type PgConnection = unknown;

/**
 * The relay's Postgres advisory lock, held on a session of its own. The relay runs its outbox
 * queries on that same session, so losing the session loses the lock and stops its queries together.
 */
export interface RelayLock {
  /** The locked session while the lock is held. */
  readonly session: PgConnection | undefined;
  /** Takes the lock if no other session holds it; false when another does or the database is unreachable. */
  acquire(): Promise<boolean>;
  /** Gives the lock and its session back (closing a broken session, which ends its lock too). */
  release(): Promise<void>;
}

/**
 * The relay's session, set once when it takes the lock:
 * - Only this session marks rows published. Losing a mark in a database crash merely re-sends
 *   those rows (the inbox skips them), so the mark need not wait for the WAL flush.
 * - Every published row leaves a dead entry in the partial index of unpublished rows until vacuum
 *   comes by, and a bitmap scan visits each one's heap page on every claim: with autovacuum late
 *   or off, a claim over 20,000 published rows took 9 ms where it takes 0.1. A plain index scan
 *   in id order marks the entries it finds dead, so later claims skip them.
 */
export const relaySessionSettings = 'set synchronous_commit = off; set enable_bitmapscan = off';

export function relayLock(db: Knex, service: string, logger: Logger): RelayLock {
  const key = `tulity-relay:${service}`;
  let session: PgConnection | undefined;

  return {
    get session() {
      return session;
    },

    async acquire() {
      let connection: PgConnection;
      try {
        connection = await db.client.acquireConnection();
      } catch (error) {
        logger.warn({ err: error }, 'relay cannot reach the database');
        return false;
      }
      try {
        const result = await db.raw('select pg_try_advisory_lock(hashtext(?)) as locked', [key]).connection(connection);
        if (result.rows[0]?.locked === true) {
          await db.raw(relaySessionSettings).connection(connection);
          session = connection;
          return true;
        }
      } catch (error) {
        logger.warn({ err: error }, 'relay lock attempt failed');
        retire(connection as object, 'relay lock session failed');
      }
      await db.client.releaseConnection(connection);
      return false;
    },

    async release() {
      const connection = session;
      session = undefined;
      if (!connection) return;
      try {
        await db.raw('select pg_advisory_unlock(hashtext(?))', [key]).connection(connection);
        await db.raw('reset synchronous_commit; reset enable_bitmapscan').connection(connection);
        await db.client.releaseConnection(connection);
      } catch {
        // A broken session already lost its lock; closing it makes sure of that.
        retire(connection as object, 'relay lock session failed');
        await db.client.releaseConnection(connection);
      }
    },
  };
}
