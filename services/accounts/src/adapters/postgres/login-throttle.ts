import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import type { LoginThrottle, ThrottleKey } from '../../application/ports';
import { waitMs, withAttempt, type AttemptWindow } from '../../domain/throttle';

interface LoginAttemptsRow {
  key: string;
  attempts: number;
  window_started_at: Date;
  last_attempt_at: Date;
}

const toWindow = (row: LoginAttemptsRow): AttemptWindow => ({
  attempts: row.attempts,
  windowStartedAt: row.window_started_at,
  lastAttemptAt: row.last_attempt_at,
});

/**
 * Counters shared by every accounts replica, so an attacker gains nothing by spreading guesses
 * across them. A reservation locks the keys' rows (in key order, so two reservations never
 * deadlock), decides with the domain's rules and counts the check in the same transaction: N
 * concurrent guesses queue on the rows and at most the limit get through.
 */
export function createLoginThrottle(db: Knex): LoginThrottle {
  return {
    reserve(keys: ThrottleKey[], now: Date) {
      const ordered = [...keys].sort((a, b) => (a.key < b.key ? -1 : 1));
      return transaction(db, async (trx) => {
        await trx('login_attempts')
          .insert(ordered.map(({ key }) => ({ key, attempts: 0, window_started_at: now, last_attempt_at: now })))
          .onConflict('key')
          .ignore();
        const rows = await trx<LoginAttemptsRow>('login_attempts')
          .whereIn(
            'key',
            ordered.map((k) => k.key),
          )
          .orderBy('key')
          .forUpdate();
        const byKey = new Map(rows.map((row) => [row.key, toWindow(row)]));
        const wait = Math.max(0, ...ordered.map(({ key, rule }) => waitMs(byKey.get(key), rule, now)));
        if (wait > 0) return wait;
        for (const { key, rule } of ordered) {
          const next = withAttempt(byKey.get(key), rule, now);
          await trx('login_attempts').where({ key }).update({
            attempts: next.attempts,
            window_started_at: next.windowStartedAt,
            last_attempt_at: next.lastAttemptAt,
          });
        }
        return 0;
      });
    },
    async succeeded(keys: ThrottleKey[]) {
      const forget = keys.filter((k) => k.onSuccess === 'forget').map((k) => k.key);
      const release = keys.filter((k) => k.onSuccess === 'release').map((k) => k.key);
      if (forget.length > 0) await db('login_attempts').whereIn('key', forget).delete();
      if (release.length > 0)
        await db('login_attempts')
          .whereIn('key', release)
          .update({ attempts: db.raw('greatest(attempts - 1, 0)') });
    },
  };
}

/** Forgets windows that ended long ago; a counter would only start again at the next check otherwise. */
export async function pruneLoginAttempts(db: Knex, olderThan: Date): Promise<number> {
  return db('login_attempts').where('last_attempt_at', '<', olderThan).delete();
}
